package io.gatehouse.platform;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * The one {@code LISTEN} connection of this replica: what other replicas (and this one) announce with
 * {@code pg_notify} reaches the listener that subscribed to its channel. A listener is told when
 * listening (re)starts, since anything sent while nobody listened was missed, and every {@link #TICK}.
 */
@Startup
@Singleton
public class ReplicaSync {

    /** What a subscriber hears. */
    public interface Listener {
        void notified(String channel, String payload);

        /** Listening on its channels has (re)started: anything sent before may have been missed. */
        void listening();

        /** Every {@link #TICK} while listening. */
        default void tick() {
        }
    }

    public static final Duration TICK = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(ReplicaSync.class);
    private static final Pattern CHANNEL = Pattern.compile("[a-z_]{1,63}");

    private final AgroalDataSource dataSource;
    private final Map<String, Listener> byChannel = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Subscriptions not yet listened to on the current connection. */
    private final List<Subscription> pending = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    /** Whether the listening connection was lost (logged once, until it is back). */
    private boolean lost;

    private record Subscription(Set<String> channels, Listener listener) {
    }

    public ReplicaSync(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
        this.thread = Thread.ofPlatform().daemon().name("gatehouse-replica-sync").start(this::run);
    }

    /** From now on, notifications on these channels reach the listener (told {@code listening()} once they do). */
    public void subscribe(Set<String> channels, Listener listener) {
        channels.forEach(channel -> {
            if (!CHANNEL.matcher(channel).matches() || byChannel.putIfAbsent(channel, listener) != null) {
                throw new IllegalArgumentException("channel " + channel);
            }
        });
        listeners.add(listener);
        pending.add(new Subscription(channels, listener));
    }

    private void run() {
        while (running) {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                PGConnection pg = connection.unwrap(PGConnection.class);
                // A new connection listens to every channel again; each listener then reads what it missed.
                pending.clear();
                for (Listener listener : listeners) {
                    listen(statement, channelsOf(listener));
                }
                listeners.forEach(Listener::listening);
                if (lost) {
                    LOG.info("Replica sync is listening again");
                    lost = false;
                }
                long nextTick = System.nanoTime() + TICK.toNanos();
                while (running) {
                    for (Subscription subscription : pending) {
                        listen(statement, subscription.channels());
                        pending.remove(subscription);
                        subscription.listener().listening();
                    }
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            Listener listener = byChannel.get(notification.getName());
                            if (listener != null) {
                                notified(listener, notification);
                            }
                        }
                    }
                    if (System.nanoTime() - nextTick > 0) {
                        listeners.forEach(Listener::tick);
                        nextTick = System.nanoTime() + TICK.toNanos();
                    }
                }
            } catch (Exception e) {
                if (running) {
                    if (!lost) {
                        LOG.warnf("Replica sync lost its database connection (%s); retrying every second", e.getClass().getSimpleName());
                    }
                    lost = true;
                    sleep();
                }
            }
        }
    }

    private Set<String> channelsOf(Listener listener) {
        return Set.copyOf(byChannel.entrySet().stream().filter(e -> e.getValue() == listener).map(Map.Entry::getKey).toList());
    }

    private static void listen(Statement statement, Set<String> channels) throws java.sql.SQLException {
        for (String channel : channels) {
            statement.execute("LISTEN " + channel);
        }
    }

    private static void notified(Listener listener, PGNotification notification) {
        try {
            listener.notified(notification.getName(), notification.getParameter());
        } catch (RuntimeException e) {
            LOG.warnf("Ignored a malformed notification on %s", notification.getName());
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        thread.interrupt();
    }
}
