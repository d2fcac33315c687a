// German requests for the offline agent: whether a message is German, and German phrasings rewritten into the English
// grammar offline-read.ts reads ("lösche Zahnarzt" → "delete Zahnarzt"). The replies in German are in offline-words.ts.
import { DURATION } from './duration'
import type { Lang } from './offline-state'

/** Words a German request carries and an English one does not: command words, "morgen", "Uhr", "ja". */
const GERMAN = /(?:^|[\s,])(?:erinnere|füge|hinzu|hinzufügen|neue|aufgaben?|zeigen?|zeig|lösche|löschen|entferne|erledigt|erledige|verschiebe|rückgängig|morgen|heute|übermorgen|uhr|steht|ja|nein|hilfe|hallo|meine|bitte|überfällig\w*|wie viele|wieviele|diese woche|nächste|benenne|öffne|suche|finde|hake|erledigten|alle|später|wochen?|stunden?|minuten|tagen|verschieben|verlege|schiebe|löschen|entfernen|streichen|erledigen|wichtig|dringend|priorität|erstelle|projekte?|archiviere|neues|teile|einladung\w*|zugriff|verlasse|lehne|nimm|wer|mitglied|geteilt|betrachter\w*|was ist|was steht|umbenennen|wieder|öffnen|markiere|trage?|schreibe?|notiere|ändere|nenne|ich|habe?|nicht|doch|mich|gibt|eine[nmr]?|mit|für|und|oder|dem|den|das|zum|zur)(?=$|[\s,.!?])/i

export const languageOf = (text: string): Lang => (GERMAN.test(text) ? 'de' : 'en')

/** German requests, rewritten into the English commands the agent reads ("lösche Zahnarzt" → "delete Zahnarzt"). */
const FROM_GERMAN: Array<[RegExp, string]> = [
  [/^(?:hilfe|hallo|was kannst du)$/i, 'help'],
  [/^(?:mach(?:e)?\s+(?:das|es)\s+rückgängig|rückgängig(?:\s+machen)?|nimm\s+das\s+zurück)$/i, 'undo'],
  [/^(.+?)\s+auf\s+(?:die|meine)\s+(?:liste|aufgabenliste)(?:\s+setzen)?$/i, 'add $1'],
  // Sharing: inviting (as a viewer when it says so), who has access, taking someone off, leaving, invitations.
  [/^teile\s+(.+?)\s+mit\s+(\S+@\S+)\s+(?:nur\s+zum\s+(?:lesen|ansehen)|nur\s+lesend|als\s+(?:betrachter(?:in)?|leser(?:in)?))$/i, 'share $1 with $2 as viewer'],
  [/^teile\s+(.+?)\s+mit\s+(\S+@\S+)(?:\s+als\s+bearbeiter(?:in)?)?$/i, 'share $1 with $2'],
  [/^lade\s+(\S+@\S+)\s+(?:zu|in)\s+(.+?)\s+ein$/i, 'invite $1 to $2'],
  [/^(?:wer\s+hat\s+zugriff\s+auf|wer\s+ist\s+(?:mitglied\s+)?in|wer\s+sieht|mit\s+wem\s+(?:ist|teile\s+ich))\s+(.+?)(?:\s+geteilt)?$/i, 'who has access to $1'],
  [/^(?:teile\s+(.+?)\s+nicht\s+mehr\s+mit\s+(\S+))$/i, 'stop sharing $1 with $2'],
  [/^(?:entferne|nimm)\s+(\S+)\s+aus\s+(.+?)(?:\s+raus)?$/i, 'remove $1 from $2'],
  [/^verlasse\s+(.+)$/i, 'leave $1'],
  [/^nimm\s+die\s+einladung\s+(?:zu|für|in)\s+(.+?)\s+an$/i, 'accept the invitation to $1'],
  [/^nimm\s+(?:die\s+einladung|sie)\s+an$/i, 'accept the invitation'],
  [/^lehne\s+die\s+einladung\s+(?:zu|für|in)\s+(.+?)\s+ab$/i, 'decline the invitation to $1'],
  [/^lehne\s+(?:die\s+einladung|sie)\s+ab$/i, 'decline the invitation'],
  [/^(?:welche\s+einladungen\s+habe\s+ich|habe\s+ich\s+(?:neue\s+)?einladungen|(?:zeige?\s+)?(?:mir\s+)?meine\s+einladungen)$/i, 'what invitations do i have'],
  // Projects: made, listed, archived, deleted (with their tasks or not), and tasks moved into one.
  [/^(?:erstelle|lege|mach(?:e)?)\s+(?:ein(?:e)?\s+)?(?:neues\s+|neue\s+)?(?:projekt|liste)\s+(?:namens\s+|mit\s+dem\s+namen\s+)?(.+?)(?:\s+an)?$/i, 'create project $1'],
  [/^neues\s+projekt\s*:?\s+(.+)$/i, 'create project $1'],
  [/^(?:zeige?|liste)\s+(?:mir\s+)?(?:meine\s+|alle\s+)?projekte$/i, 'list projects'],
  [/^archiviere\s+(.+)$/i, 'archive $1'],
  [/^(?:lösche|entferne)\s+(?:das\s+)?projekt\s+(.+?)\s+(?:mit|samt)\s+(?:allen\s+)?(?:seinen\s+)?aufgaben$/i, 'delete project $1 and its tasks'],
  [/^(?:verschiebe|verlege|schiebe)\s+(.+?)\s+(?:ins(?:\s+(?:projekt|liste))?|in\s+(?:das\s+|die\s+)?(?:projekt|liste))\s+(.+)$/i, 'move $1 to project $2'],
  [/^(?:trag|trage)\s+(.+?)\s+ein$/i, 'add $1'],
  [/^(?:schreib|schreibe)\s+(.+?)\s+auf$/i, 'add $1'],
  [/^(?:notiere|merke\s+dir|merk\s+dir)\s+(.+)$/i, 'add $1'],
  [/^gibt\s+es\s+(?:etwas|was|eine\s+aufgabe|aufgaben)\s+(?:zu|zum|zur|über|mit|für|wegen)\s+(.+)$/i, 'find $1'],
  [/^wo\s+ist\s+(?:meine?\s+|die\s+|der\s+|das\s+)?(.+?)(?:\s*-?aufgabe)?$/i, 'find $1'],
  [/^ich\s+habe\s+(.+?)\s+(?:erledigt|gemacht|abgehakt|fertig(?:\s+gemacht)?)$/i, 'complete $1'],
  [/^markiere\s+(.+?)\s+als\s+(?:erledigt|fertig)$/i, 'complete $1'],
  [/^markiere\s+(.+?)\s+als\s+(?:offen|unerledigt|nicht\s+erledigt)$/i, 'reopen $1'],
  [/^markiere\s+(.+?)\s+als\s+(wichtig|dringend)$/i, '$1 is urgent'],
  [/^(?:markiere|tagge|versehe)\s+(.+?)\s+mit\s+(?:dem\s+)?(?:tag\s+)?(.+?)(?:\s+tag)?$/i, 'tag $1 with $2'],
  [/^(?:entferne|lösche)\s+(?:den\s+)?tag\s+(\S+)\s+(?:von|bei|aus)\s+(.+)$/i, 'remove the $1 tag from $2'],
  [/^(.+?)\s+hat\s+(?:jetzt\s+)?(hohe|mittlere|niedrige)\s+priorität$/i, 'set $1 to $2 priority'],
  [/^(.+?)\s+(?:löschen|entfernen|streichen)$/i, 'delete $1'],
  [/^(.+?)\s+umbenennen\s+(?:in|zu)\s+(.+)$/i, 'rename $1 to $2'],
  [/^benenne\s+(.+?)\s+um\s+in\s+(.+)$/i, 'rename $1 to $2'],
  [/^erinnere\s+mich\s+(?:an|wegen)\s+(?:(?:den|die|das|dem|der|meinen|meine|mein)\s+)?(.+?)\s+((?:in|um|morgen|heute|übermorgen|am)\s.+)$/i, 'remind me about $1 $2'],
  [/^erinnere\s+mich\s+(\S+\s+\S+)\s+vor\s+(.+)$/i, 'remind me $1 before $2'],
  [/^(?:setze|stelle|mach(?:e)?)\s+(.+?)\s+auf\s+(hohe|mittlere|niedrige|hoch|mittel|niedrig)(?:\s+priorität)?$/i, 'set $1 to $2 priority'],
  [/^(.+?)\s+ist\s+(?:jetzt\s+|sehr\s+)?(dringend|wichtig)$/i, '$1 is urgent'],
  [/^(.+?)\s+ist\s+(?:jetzt\s+)?(?:nicht\s+(?:so\s+)?(?:dringend|wichtig)|unwichtig)$/i, '$1 is low priority'],
  [/^(.+?)\s+(?:ist|sind)\s+(?:doch\s+)?(?:noch\s+)?nicht\s+(?:erledigt|fertig)$/i, 'reopen $1'],
  [/^(.+?)\s+wieder\s+(?:öffnen|aufmachen)$/i, 'reopen $1'],
  [new RegExp(`^(?:verschiebe|schiebe)\\s+(.+?)\\s+um\\s+(${DURATION})(?:\\s+(?:nach\\s+hinten|später))?$`, 'i'), 'postpone $1 by $2'],
  [new RegExp(`^(?:verschiebe|schiebe)\\s+(.+?)\\s+(${DURATION})\\s+(?:nach\\s+hinten|später)$`, 'i'), 'postpone $1 by $2'],
  [new RegExp(`^(.+?)\\s+(?:um\\s+)?(${DURATION})\\s+(?:später|verschieben|nach\\s+hinten(?:\\s+verschieben)?)$`, 'i'), 'postpone $1 by $2'],
  [/^(?:ändere|änder)\s+(?:den\s+)?(?:titel|namen)\s+(?:von\s+)?(.+?)\s+(?:in|zu|auf)\s+(.+)$/i, 'rename $1 to $2'],
  [/^nenne\s+(.+?)\s+(?:in\s+)?(.+?)\s+um$/i, 'rename $1 to $2'],
  [/^(.+?)\s+(?:auf|nach|zu|zum|zur)\s+(.+?)\s+verschieben$/i, 'move $1 to $2'],
  [/^wie\s*viele\s+(.+)$/i, 'how many $1'],
  [/^was\s+(?:hab|habe)\s+ich\s+(.+)$/i, 'what do i have $1'],
  [/^(?:füge|fuege)\s+(.+?)\s+hinzu$/i, 'add $1'],
  [/^(?:neue\s+aufgabe|aufgabe\s+hinzufügen|hinzufügen)\s*:?\s+(.+)$/i, 'add $1'],
  [/^(?:zeige?|liste)(?:\s+mir)?(?:\s+(?:meine|alle|die))?(?:\s+(?:offenen\s+)?aufgaben)?$/i, 'list'],
  [/^(?:meine\s+)?(?:offenen\s+)?aufgaben$/i, 'list'],
  [/^was\s+(?:steht|ist|habe\s+ich)\s+heute(?:\s+(?:an|fällig))?$/i, 'what is due today'],
  [/^was\s+(?:steht|habe\s+ich)\s+diese\s+woche(?:\s+an)?$/i, 'what do i have this week'],
  [/^was\s+(?:steht|ist|habe\s+ich)\s+(.+?)(?:\s+(?:an|fällig|vor))?$/i, 'what is due $1'],
  [/^(?:zeige?\s+)?(?:(?:meine|die)\s+)?überfällige[n]?(?:\s+aufgaben)?$/i, 'show overdue'],
  [/^(?:zeige?\s+)?(?:meine\s+)?aufgaben\s+mit\s+(hoher|mittlerer|niedriger)\s+priorität$/i, 'show $1 priority'],
  [/^wie\s+viele\s+(?:offene\s+)?aufgaben(?:\s+habe\s+ich)?(?:\s+noch)?$/i, 'how many tasks'],
  [/^(?:suche|finde)\s+(.+)$/i, 'find $1'],
  [/^(?:was\s+ist\s+|zeige?\s+(?:mir\s+)?(?:alle\s+)?)(.+)$/i, 'show $1'],
  [/^(?:erledige|hake)\s+(.+?)(?:\s+ab)?$/i, 'complete $1'],
  [/^(.+?)\s+(?:ist\s+)?(?:erledigt|fertig|abgehakt)$/i, 'complete $1'],
  [/^öffne\s+(.+?)\s+wieder$/i, 'reopen $1'],
  [/^(?:lösche|entferne|streiche)\s+(.+)$/i, 'delete $1'],
  [/^(?:verschiebe|verlege)\s+(.+?)\s+(?:auf|nach|zu|zum|zur|bis)\s+(.+)$/i, 'move $1 to $2'],
  [/^benenne\s+(.+?)\s+in\s+(.+?)\s+um$/i, 'rename $1 to $2'],
]

const LEVELS: Record<string, string> = { hoher: 'high', mittlerer: 'medium', niedriger: 'low', hohe: 'high', mittlere: 'medium', niedrige: 'low', hoch: 'high', mittel: 'medium', niedrig: 'low' }

/** A German request in the agent's English grammar; any other text as it was. */
export function fromGerman(text: string): string {
  for (const [re, to] of FROM_GERMAN) {
    const m = re.exec(text)
    if (m) return to.replace(/\$(\d)/g, (_, i: string) => LEVELS[m[Number(i)]!.toLowerCase()] ?? m[Number(i)]!)
  }
  return text
}
