package io.gatehouse.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The one clock every time-dependent check takes, so tests can pin it. */
@ApplicationScoped
public class ClockProducer {

    @Produces
    @Singleton // no client proxy: the forward-auth path reads it on every request
    Clock clock() {
        return Clock.systemUTC();
    }
}
