{{/* Chart name. */}}
{{- define "todo-chatbot.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release-qualified name. */}}
{{- define "todo-chatbot.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "todo-chatbot.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "todo-chatbot.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Standard labels. */}}
{{- define "todo-chatbot.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "todo-chatbot.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: todo-chatbot
{{- end -}}

{{/* Selector labels: only the stable ones. */}}
{{- define "todo-chatbot.selectorLabels" -}}
app.kubernetes.io/name: {{ include "todo-chatbot.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels for the release's other pods (the migration job, the helm test): the standard ones without
app.kubernetes.io/name, so the Deployment's selector, and with it the Service, the PDB and the HPA, never counts them.
The caller adds app.kubernetes.io/component. */}}
{{- define "todo-chatbot.auxiliaryLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: todo-chatbot
{{- end -}}

{{/* What the app's pod needs to reach before it starts, as host:port, when this release installs it (a JSON list):
the in-cluster PostgreSQL (the app migrates at start) and the Kafka brokers daprd dials (daprd exits when its
pub/sub component cannot reach one). Each is a Service, which routes only to ready pods. */}}
{{- define "todo-chatbot.waitTargets" -}}
{{- $targets := list -}}
{{- if .Values.postgresql.inCluster.enabled -}}
{{- $targets = append $targets (printf "%s-postgresql:5432" (include "todo-chatbot.fullname" .)) -}}
{{- end -}}
{{- if and .Values.kafka.strimzi.enabled .Values.dapr.enabled .Values.dapr.pubsub.create -}}
{{- range splitList "," .Values.dapr.pubsub.brokers -}}
{{- if trim . -}}{{- $targets = append $targets (trim .) -}}{{- end -}}
{{- end -}}
{{- end -}}
{{- toJson $targets -}}
{{- end -}}

{{- define "todo-chatbot.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "todo-chatbot.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding DATABASE_URL and the other secrets. */}}
{{- define "todo-chatbot.secretName" -}}
{{- default (printf "%s-secrets" (include "todo-chatbot.fullname" .)) .Values.secret.existingSecret -}}
{{- end -}}

{{- define "todo-chatbot.appId" -}}
{{- default (include "todo-chatbot.fullname" .) .Values.dapr.appId -}}
{{- end -}}

{{- define "todo-chatbot.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* Environment shared by the app and the migration job. */}}
{{- define "todo-chatbot.env" -}}
- name: PORT
  value: {{ .Values.containerPort | quote }}
- name: DATA_DIR
  value: /tmp/data
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "todo-chatbot.secretName" . }}
      key: DATABASE_URL
- name: OPENAI_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "todo-chatbot.secretName" . }}
      key: OPENAI_API_KEY
      optional: true
{{- if .Values.dapr.enabled }}
- name: APP_API_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "todo-chatbot.secretName" . }}
      key: {{ .Values.dapr.appApiTokenSecretKey }}
{{- end }}
{{- end -}}

{{/* The app container's environment: with the secret store in use, the secrets are read through the
sidecar (SECRET_STORE) instead of sitting in the environment; otherwise as todo-chatbot.env. */}}
{{- define "todo-chatbot.appEnv" -}}
{{- if and .Values.dapr.enabled .Values.dapr.secretStore.useForApp -}}
- name: PORT
  value: {{ .Values.containerPort | quote }}
- name: DATA_DIR
  value: /tmp/data
- name: SECRET_STORE
  value: {{ .Values.dapr.secretStore.name | quote }}
- name: SECRET_STORE_SECRET
  value: {{ include "todo-chatbot.secretName" . | quote }}
- name: SECRET_MAP
  value: {{ printf "APP_API_TOKEN=%s:%s" (include "todo-chatbot.secretName" .) .Values.dapr.appApiTokenSecretKey | quote }}
{{- else -}}
{{ include "todo-chatbot.env" . }}
{{- end -}}
{{- end -}}

{{/* The app token for a Secret the chart creates: the value given, else the one already installed, else a new one. */}}
{{- define "todo-chatbot.appApiToken" -}}
{{- $given := index .Values.secret.values .Values.dapr.appApiTokenSecretKey -}}
{{- if $given -}}
{{- if lt (len (toString $given)) 16 -}}{{- fail "secret.values.token (the app API token, APP_API_TOKEN) must be at least 16 characters" -}}{{- end -}}
{{- $given -}}
{{- else -}}
{{- $installed := lookup "v1" "Secret" .Release.Namespace (include "todo-chatbot.secretName" .) -}}
{{- $kept := "" -}}
{{- if $installed -}}{{- $kept = index ($installed.data | default dict) .Values.dapr.appApiTokenSecretKey | default "" -}}{{- end -}}
{{- if $kept -}}{{- $kept | b64dec -}}{{- else -}}{{- randAlphaNum 48 -}}{{- end -}}
{{- end -}}
{{- end -}}
