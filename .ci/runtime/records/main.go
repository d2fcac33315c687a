// Prints every record on the given topics of a Kafka-protocol broker as JSON lines (topic, partition, offset,
// key and the CloudEvent's id, type and subject), then exits: the end-to-end tests read what actually crossed the wire.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

type line struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	Offset    int64  `json:"offset"`
	Key       string `json:"key"`
	ID        string `json:"id"`
	Type      string `json:"type"`
	Subject   string `json:"subject"`
}

func main() {
	brokers := flag.String("brokers", "127.0.0.1:9092", "comma-separated broker addresses")
	topics := flag.String("topics", "", "comma-separated topics to read")
	flag.Parse()
	names := strings.Split(*topics, ",")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	client, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(*brokers, ",")...), kgo.ConsumeTopics(names...), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		fail(err)
	}
	defer client.Close()
	// Read up to each partition's end as it is now.
	ends, err := kadm.NewClient(client).ListEndOffsets(ctx, names...)
	if err != nil {
		fail(err)
	}
	remaining := map[string]int64{}
	ends.Each(func(o kadm.ListedOffset) {
		if o.Offset > 0 {
			remaining[fmt.Sprintf("%s/%d", o.Topic, o.Partition)] = o.Offset
		}
	})
	out := json.NewEncoder(os.Stdout)
	for len(remaining) > 0 {
		fetches := client.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			fail(err)
		}
		fetches.EachRecord(func(r *kgo.Record) {
			var event struct {
				ID      string `json:"id"`
				Type    string `json:"type"`
				Subject string `json:"subject"`
			}
			_ = json.Unmarshal(r.Value, &event)
			_ = out.Encode(line{r.Topic, r.Partition, r.Offset, string(r.Key), event.ID, event.Type, event.Subject})
			part := fmt.Sprintf("%s/%d", r.Topic, r.Partition)
			if end, ok := remaining[part]; ok && r.Offset+1 >= end {
				delete(remaining, part)
			}
		})
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "records:", err)
	os.Exit(1)
}
