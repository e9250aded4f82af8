package io.waterdrop.spring;

import io.waterdrop.Middleware;
import io.waterdrop.Poller;
import io.waterdrop.PollerStats;
import io.waterdrop.PollingInfo;
import io.waterdrop.Producer;
import io.waterdrop.ProducerMetrics;
import io.waterdrop.ProducerPool;
import io.waterdrop.Secrets;
import io.waterdrop.spring.internal.PollerNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.Sanitizer;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code /actuator/waterdrop}: every Poller, producer and producer pool of the application with their counters, and
 * {@code /actuator/waterdrop/{producer}}: one producer with its librdkafka settings. Secret settings (passwords,
 * keys, tokens, JAAS and OAuth configs) are masked unless {@code management.endpoint.waterdrop.show-values} shows
 * them; every value then passes the application's {@link SanitizingFunction}s, as in {@code /actuator/env}.
 */
@Endpoint(id = "waterdrop")
public class WaterDropEndpoint {

    private final WaterDropProducers producers;
    private final PollerNames pollers;
    private final Sanitizer sanitizer;
    private final Show showValues;
    private final Set<String> roles;
    private final @Nullable WaterDropVariants variants;
    private final Supplier<List<ProducerPool>> pools;

    public WaterDropEndpoint(WaterDropProducers producers, WaterDropPollers pollers,
            Iterable<SanitizingFunction> sanitizingFunctions, Show showValues, Set<String> roles) {
        this(producers, pollers, sanitizingFunctions, showValues, roles, null, List::of);
    }

    /**
     * @param variants the configured producer variants, listed with their producer; {@code null} for none
     * @param pools the context's {@link ProducerPool}s, shown with their stats
     */
    public WaterDropEndpoint(WaterDropProducers producers, WaterDropPollers pollers,
            Iterable<SanitizingFunction> sanitizingFunctions, Show showValues, Set<String> roles,
            @Nullable WaterDropVariants variants, Supplier<List<ProducerPool>> pools) {
        this.variants = variants;
        this.pools = pools;
        this.producers = producers;
        this.pollers = new PollerNames(pollers);
        this.sanitizer = new Sanitizer(sanitizingFunctions);
        this.showValues = showValues;
        this.roles = Set.copyOf(roles);
    }

    /** Every Poller and producer. */
    @ReadOperation
    public WaterDropDescriptor waterdrop() {
        List<PollerDescriptor> pollerDescriptors = new ArrayList<>();
        this.pollers.all().forEach((name, poller) -> pollerDescriptors.add(describe(name, poller)));
        List<ProducerDescriptor> producerDescriptors = new ArrayList<>();
        for (Producer producer : this.producers) {
            producerDescriptors.add(describe(producer));
        }
        List<PoolDescriptor> poolDescriptors = new ArrayList<>();
        for (ProducerPool pool : this.pools.get()) {
            ProducerPool.Stats stats = pool.stats();
            poolDescriptors.add(new PoolDescriptor(stats.name(), stats.size(), stats.borrowed(), stats.idle(),
                    stats.waiting(), stats.replaced(), stats.closed(),
                    pool.members().stream().map(Producer::name).toList()));
        }
        return new WaterDropDescriptor(Producer.librdkafkaVersion(), pollerDescriptors, producerDescriptors,
                poolDescriptors);
    }

    /** One producer with its librdkafka settings; {@code null} (404) when no producer has that name. */
    @ReadOperation
    public @Nullable ProducerDetailDescriptor producer(@Selector String producer, SecurityContext securityContext) {
        Producer found = this.producers.find(producer).orElse(null);
        if (found == null) {
            return null;
        }
        boolean showSecrets = this.showValues.isShown(securityContext, this.roles);
        return new ProducerDetailDescriptor(describe(found), sanitized(found.config().kafka(), showSecrets));
    }

    /** Secret keys follow show-values; every value passes the application's sanitizing functions. */
    private Map<String, @Nullable Object> sanitized(Map<String, String> settings, boolean showSecrets) {
        Map<String, @Nullable Object> shown = new LinkedHashMap<>();
        settings.forEach((key, value) -> shown.put(key,
                this.sanitizer.sanitize(new SanitizableData(null, key, value), !Secrets.isSecret(key) || showSecrets)));
        return shown;
    }

    /** Variant name to its topic settings (topic-level settings hold no secrets; sanitizing functions still apply). */
    private Map<String, Map<String, @Nullable Object>> variantsOf(Producer producer) {
        Map<String, Map<String, @Nullable Object>> shown = new LinkedHashMap<>();
        if (this.variants != null) {
            this.variants.of(producer.name())
                .forEach((name, variant) -> shown.put(name, sanitized(variant.settings(), false)));
        }
        return shown;
    }

    private PollerDescriptor describe(String name, Poller poller) {
        PollerStats stats = poller.stats();
        Instant last = stats.lastLoopTime();
        return new PollerDescriptor(name, stats.id(), stats.threadName(), stats.alive(), stats.producers(),
                stats.pollTimeout().toMillis(), stats.wakeups(), stats.loopIterations(), stats.budgetExhaustions(),
                stats.periodicPolls(), stats.timeoutPolls(), stats.loopErrors(), stats.abnormalExits(),
                stats.restarts(), last == null ? null : Duration.between(last, Instant.now()).toMillis());
    }

    private ProducerDescriptor describe(Producer producer) {
        PollingInfo polling = producer.pollingInfo();
        ProducerMetrics metrics = producer.metrics();
        ProducerMetrics.LastError error = metrics.lastError();
        return new ProducerDescriptor(producer.name(), producer.state().name(), polling.mode().name().toLowerCase(),
                polling.maxTime() == null ? null : polling.maxTime().toMillis(), this.pollers.of(producer),
                polling.threadName(), producer.queueLength(), metrics.inFlight(), metrics.produced(),
                metrics.acknowledged(), metrics.failed(), metrics.failedByError(), metrics.queueFullWaits(),
                metrics.brokersUp() < 0 ? null : metrics.brokersUp(),
                metrics.brokersTotal() < 0 ? null : metrics.brokersTotal(),
                error == null ? null : new ErrorDescriptor(error.type(), error.error().name(),
                        error.error().message(), error.at().toString()),
                Producer.librdkafkaVersion(), variantsOf(producer),
                producer.middleware().list().stream().map(Middleware::name).toList(),
                producer.config().idleDisconnectTimeout().isZero() ? null
                        : producer.config().idleDisconnectTimeout().toMillis());
    }

    /**
     * The whole picture.
     *
     * @param librdkafkaVersion the loaded librdkafka
     * @param pollers the global Poller and every group
     * @param producers every producer of the context
     * @param pools every producer pool of the context ({@code pool-size} entries)
     */
    public record WaterDropDescriptor(String librdkafkaVersion, Collection<PollerDescriptor> pollers,
            Collection<ProducerDescriptor> producers, Collection<PoolDescriptor> pools)
            implements OperationResponseBody {
    }

    /**
     * One transactional producer pool.
     *
     * @param borrowed members lent out (in a transaction or held by a lease)
     * @param waiting threads waiting for a member
     * @param replaced members replaced after a fatal error (e.g. fenced) since startup
     * @param members the members' producer names ({@code <pool>-<index>})
     */
    public record PoolDescriptor(String name, int size, int borrowed, int idle, int waiting, long replaced,
            boolean closed, List<String> members) {
    }

    /**
     * One Poller.
     *
     * @param name {@code global} or the group name
     * @param abnormalExits thread lives that ended abnormally
     * @param restarts threads started to take over from one that ended abnormally
     * @param loopAgeMillis time since its loop last returned from poll(2), {@code null} before the first pass
     */
    public record PollerDescriptor(String name, int id, String thread, boolean alive, List<String> producers,
            long pollTimeoutMillis, long wakeups, long iterations, long budgetExhaustions, long periodicPolls,
            long timeoutPolls, long loopErrors, long abnormalExits, long restarts, @Nullable Long loopAgeMillis) {
    }

    /**
     * One producer.
     *
     * @param maxTimeMillis its fd budget per Poller turn, {@code null} in thread mode
     * @param poller its Poller's name, {@code null} in thread mode
     * @param delivered messages the broker acknowledged
     * @param brokersUp brokers up per librdkafka's statistics, {@code null} without statistics
     * @param variants its configured variants ({@code waterdrop.producers.<name>.variants}) with their settings
     * @param middleware the names of its middleware chain, first to last (bean names for middleware beans)
     * @param idleDisconnectTimeoutMillis its {@code idle-disconnect-timeout}, {@code null} when it never disconnects
     */
    public record ProducerDescriptor(String name, String state, String mode, @Nullable Long maxTimeMillis,
            @Nullable String poller, String thread, int queueLength, int inFlight, long produced, long delivered,
            long failed, Map<String, Long> failedByError, long queueFullWaits, @Nullable Integer brokersUp,
            @Nullable Integer brokersTotal, @Nullable ErrorDescriptor lastError, String librdkafkaVersion,
            Map<String, Map<String, @Nullable Object>> variants, List<String> middleware,
            @Nullable Long idleDisconnectTimeoutMillis) {
    }

    /** A producer's latest error. */
    public record ErrorDescriptor(String type, String code, String message, String at) {
    }

    /**
     * One producer with the librdkafka settings it was configured with (librdkafka's defaults apply to the rest).
     */
    public record ProducerDetailDescriptor(ProducerDescriptor producer, Map<String, @Nullable Object> kafka)
            implements OperationResponseBody {
    }
}
