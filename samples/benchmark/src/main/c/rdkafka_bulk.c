/*
 * rdkafka_bulk: the benchmark's bulk workload (one producer, N async messages of B bytes, wait for every delivery
 * report) through librdkafka straight from C. It is the native ceiling the JVM clients are compared with, run by
 * the Java benchmark as the client "c" (--client c --c-binary PATH), interleaved with them on the same broker.
 *
 * Build (not part of the Maven build or CI; needs librdkafka's headers, Debian: librdkafka-dev):
 *   gcc -O2 -Wall -o samples/benchmark/target/rdkafka_bulk samples/benchmark/src/main/c/rdkafka_bulk.c -lrdkafka
 *
 * Usage: rdkafka_bulk BOOTSTRAP_SERVERS TOPIC MESSAGES PAYLOAD_BYTES [librdkafka.key=value ...]
 *
 * Protocol with the parent (so it can read the broker's CPU around exactly the timed part):
 *   1. creates the producer and primes it with one acknowledged message (connection and topic metadata ready,
 *      as the Java rounds do), prints "PRIMED" and waits for one line on stdin;
 *   2. produces MESSAGES messages with rd_kafka_produce (RD_KAFKA_MSG_F_COPY, as WaterDrop copies the payload),
 *      serving delivery reports with rd_kafka_poll(0) every POLL_EVERY messages and rd_kafka_poll(1 ms) while the
 *      queue is full, then polls until every report has arrived;
 *   3. prints one line:
 *      RESULT elapsed_ns=.. cpu_ns=.. delivered=.. failed=.. ctx_switches=.. os_threads_added=.. rss_kb_added=..
 *      where cpu_ns is this process's CPU time over the timed part (every thread, librdkafka's included).
 * librdkafka's defaults apply (linger.ms 5, acks all, 100,000 queued messages), like the JVM clients.
 */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define POLL_EVERY 1000

static long long delivered;
static long long failed;

/* Runs on this program's thread, inside rd_kafka_poll: no locking needed. */
static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *msg, void *opaque) {
    (void)rk;
    (void)opaque;
    if (msg->err) {
        failed++;
    } else {
        delivered++;
    }
}

static long long nanos(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long context_switches(void) {
    struct rusage usage;
    if (getrusage(RUSAGE_SELF, &usage) != 0) {
        return -1;
    }
    return usage.ru_nvcsw + usage.ru_nivcsw;
}

/* One numeric field of /proc/self/status ("Threads", "VmRSS"), -1 when absent. */
static long status_field(const char *name) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long value = -1;
    size_t len = strlen(name);
    if (f == NULL) {
        return -1;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, name, len) == 0 && line[len] == ':') {
            value = strtol(line + len + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return value;
}

static long long parse_count(const char *what, const char *text) {
    char *end;
    long long n = strtoll(text, &end, 10);
    if (*text == '\0' || *end != '\0' || n < 1) {
        fprintf(stderr, "rdkafka_bulk: %s must be a whole number of at least 1, got '%s'\n", what, text);
        exit(2);
    }
    return n;
}

static void set_or_exit(rd_kafka_conf_t *conf, const char *key, const char *value) {
    char errstr[512];
    if (rd_kafka_conf_set(conf, key, value, errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
        fprintf(stderr, "rdkafka_bulk: librdkafka rejected %s: %s\n", key, errstr);
        exit(2);
    }
}

/* Sends one message, serving delivery reports while librdkafka's queue is full. */
static void produce_one(rd_kafka_t *rk, rd_kafka_topic_t *topic, char *payload, size_t size) {
    while (rd_kafka_produce(topic, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, payload, size, NULL, 0, NULL)
           == -1) {
        rd_kafka_resp_err_t err = rd_kafka_last_error();
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            fprintf(stderr, "rdkafka_bulk: produce failed: %s\n", rd_kafka_err2str(err));
            exit(1);
        }
        rd_kafka_poll(rk, 1);
    }
}

/* Polls until every message handed over so far has its delivery report. */
static void await_reports(rd_kafka_t *rk, long long expected) {
    while (delivered + failed < expected) {
        rd_kafka_poll(rk, 50);
    }
}

int main(int argc, char **argv) {
    char errstr[512];
    char go[16];
    if (argc < 5) {
        fprintf(stderr, "usage: %s BOOTSTRAP_SERVERS TOPIC MESSAGES PAYLOAD_BYTES [key=value ...]\n", argv[0]);
        return 2;
    }
    const char *servers = argv[1];
    const char *topic_name = argv[2];
    long long messages = parse_count("MESSAGES", argv[3]);
    size_t payload_bytes = (size_t)parse_count("PAYLOAD_BYTES", argv[4]);

    long threads_before = status_field("Threads");
    long rss_before = status_field("VmRSS");

    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    set_or_exit(conf, "bootstrap.servers", servers);
    for (int i = 5; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (eq == NULL || eq == argv[i]) {
            fprintf(stderr, "rdkafka_bulk: expected key=value, got '%s'\n", argv[i]);
            return 2;
        }
        *eq = '\0';
        set_or_exit(conf, argv[i], eq + 1);
    }
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (rk == NULL) {
        fprintf(stderr, "rdkafka_bulk: could not create the producer: %s\n", errstr);
        rd_kafka_conf_destroy(conf); /* rd_kafka_new owns conf only on success */
        return 1;
    }
    rd_kafka_topic_t *topic = rd_kafka_topic_new(rk, topic_name, NULL);
    if (topic == NULL) {
        fprintf(stderr, "rdkafka_bulk: topic handle: %s\n", rd_kafka_err2str(rd_kafka_last_error()));
        rd_kafka_destroy(rk);
        return 1;
    }

    char *payload = malloc(payload_bytes);
    if (payload == NULL) {
        fprintf(stderr, "rdkafka_bulk: no memory for a %zu-byte payload\n", payload_bytes);
        return 1;
    }
    srand((unsigned)time(NULL));
    for (size_t i = 0; i < payload_bytes; i++) {
        payload[i] = (char)(rand() & 0xff);
    }

    produce_one(rk, topic, payload, payload_bytes);
    await_reports(rk, 1);
    if (failed > 0) {
        fprintf(stderr, "rdkafka_bulk: the priming message failed\n");
        return 1;
    }
    long threads_live = status_field("Threads");
    delivered = 0;

    printf("PRIMED\n");
    fflush(stdout);
    if (fgets(go, sizeof go, stdin) == NULL) {
        fprintf(stderr, "rdkafka_bulk: no start signal on stdin\n");
        return 1;
    }

    long switches_before = context_switches();
    long long cpu_before = nanos(CLOCK_PROCESS_CPUTIME_ID);
    long long t0 = nanos(CLOCK_MONOTONIC);
    for (long long i = 0; i < messages; i++) {
        produce_one(rk, topic, payload, payload_bytes);
        if (i % POLL_EVERY == POLL_EVERY - 1) {
            rd_kafka_poll(rk, 0);
        }
    }
    await_reports(rk, messages);
    long long elapsed = nanos(CLOCK_MONOTONIC) - t0;
    long long cpu = nanos(CLOCK_PROCESS_CPUTIME_ID) - cpu_before;
    long switches_after = context_switches();
    long threads_end = status_field("Threads");
    long rss_end = status_field("VmRSS");

    long threads_max = threads_live > threads_end ? threads_live : threads_end;
    printf("RESULT elapsed_ns=%lld cpu_ns=%lld delivered=%lld failed=%lld ctx_switches=%ld os_threads_added=%ld "
           "rss_kb_added=%ld\n",
           elapsed, cpu, delivered, failed,
           switches_before < 0 || switches_after < 0 ? -1 : switches_after - switches_before,
           threads_before < 0 ? -1 : threads_max - threads_before,
           rss_before < 0 ? -1 : rss_end - rss_before);
    fflush(stdout);

    rd_kafka_topic_destroy(topic);
    rd_kafka_flush(rk, 10000);
    rd_kafka_destroy(rk);
    free(payload);
    return 0;
}
