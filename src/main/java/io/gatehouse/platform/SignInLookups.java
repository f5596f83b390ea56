package io.gatehouse.platform;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What the anonymous sign-in starts look up ({@code /v1/sso/start}: login → org → connection;
 * {@code /o/{org}}: the org's buttons), held in memory: bounded, and kept fresh by the same
 * {@code LISTEN/NOTIFY} the revocations use. Triggers on {@code orgs}, {@code org_domains} and
 * {@code connections} announce any change (every entry is dropped), on {@code users} a username that
 * appeared or went (that login's entry is dropped); a change made on this replica drops them when its
 * transaction commits. A lookup that began before a change is never stored after it (a generation
 * count), and when listening restarts everything is dropped, since a change may have been missed.
 */
@Startup
@Singleton
public class SignInLookups implements ReplicaSync.Listener {

    /** Announced by the database triggers of V23: an empty payload, or {@code user:<lower-cased username>}. */
    static final String CHANNEL = "gatehouse_sign_in_changed";
    /** Enough for every org's code and page twice over at 10,000 orgs; an entry is a few hundred bytes. */
    static final int MAXIMUM_SIZE = 40_000;
    /** A last resort for a change whose announcement cannot match its entry (a username PostgreSQL lower-cases differently). */
    static final Duration MAXIMUM_AGE = Duration.ofMinutes(10);

    private final Cache<String, Object> entries = Caffeine.newBuilder().maximumSize(MAXIMUM_SIZE)
            .expireAfterWrite(MAXIMUM_AGE).build();
    private final AtomicLong generation = new AtomicLong();

    public SignInLookups(ReplicaSync sync) {
        sync.subscribe(Set.of(CHANNEL), this);
    }

    /**
     * The value held for this key, else what {@code load} gives (kept unless something changed meanwhile).
     * {@code load} must not return null: an absent answer is an {@code Optional.empty()}, and is held too.
     */
    @SuppressWarnings("unchecked")
    public <V> V get(String key, Supplier<V> load) {
        Object held = entries.getIfPresent(key);
        if (held != null) {
            return (V) held;
        }
        long before = generation.get();
        V value = load.get();
        if (generation.get() == before) {
            entries.put(key, value);
        }
        return value;
    }

    /** The key of a login as typed: what {@code /v1/sso/start} holds under it. */
    public static String loginKey(String login) {
        return "login:" + login.strip().toLowerCase(Locale.ROOT);
    }

    /** Something sign-in starts read changed in the caller's transaction: drop everything once it commits. */
    public static void changedInThisTransaction() {
        TransactionSynchronizationRegistry registry = Arc.container().instance(TransactionSynchronizationRegistry.class).get();
        SignInLookups lookups = Arc.container().instance(SignInLookups.class).get();
        if (registry.getTransactionKey() == null) {
            lookups.dropAll();
            return;
        }
        if (registry.getResource(SignInLookups.class) != null) {
            return;
        }
        registry.putResource(SignInLookups.class, Boolean.TRUE);
        AfterCommit.run(registry, lookups::dropAll);
    }

    void dropAll() {
        generation.incrementAndGet();
        entries.invalidateAll();
    }

    /** How many entries are held (for the benchmarks' and tests' eyes). */
    public long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    @Override
    public void notified(String channel, String payload) {
        if (payload.startsWith("user:")) {
            generation.incrementAndGet();
            entries.invalidate(loginKey(payload.substring("user:".length())));
        } else {
            dropAll();
        }
    }

    @Override
    public void listening() {
        dropAll();
    }
}
