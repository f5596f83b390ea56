package io.gatehouse.egress;

import io.gatehouse.platform.GatehouseConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Gatehouse's DNS questions, all asked of one resolver: the configured one ({@code gatehouse.dns.resolver})
 * or the system's. TXT records for domain verification, with no cache of Gatehouse's own (a record an
 * admin has just published is seen on the next check); and the addresses of the hosts outbound
 * connections go to, which {@link EgressProxy} checks and then connects to (so what was checked is
 * what is connected to). The names asked about come from admins; the questions go only to the resolver.
 */
@ApplicationScoped
public class Dns {

    private final Resolver resolver;
    private final boolean configured;

    public Dns(GatehouseConfig config) throws UnknownHostException {
        Resolver chosen;
        if (config.dns().resolver().isPresent()) {
            String configured = config.dns().resolver().get().strip();
            int colon = configured.lastIndexOf(':');
            String host = colon > 0 ? configured.substring(0, colon) : configured;
            int port = colon > 0 ? Integer.parseInt(configured.substring(colon + 1)) : 53;
            chosen = new SimpleResolver(new InetSocketAddress(host.replace("[", "").replace("]", ""), port));
        } else {
            chosen = new ExtendedResolver();
        }
        chosen.setTimeout(config.dns().timeout());
        this.resolver = chosen;
        this.configured = config.dns().resolver().isPresent();
    }

    /** The answer to a TXT question: the records' texts (each record's strings joined), or why there is none. */
    public sealed interface Answer {
    }

    public record Found(List<String> texts) implements Answer {
    }

    public record NotFound(String problem) implements Answer {
    }

    /** The TXT records at {@code name}. */
    public Answer txt(String name) {
        Name question;
        try {
            question = Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            return new NotFound("not a DNS name: " + name);
        }
        Message response;
        try {
            response = resolver.send(Message.newQuery(Record.newRecord(question, Type.TXT, DClass.IN)));
        } catch (IOException e) {
            return new NotFound("the DNS resolver did not answer for " + name + " (" + e.getClass().getSimpleName() + ")");
        }
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR) {
            return new NotFound("no TXT record at " + name + (rcode == Rcode.NXDOMAIN ? " (no such name)"
                    : " (DNS answered " + Rcode.string(rcode) + ")"));
        }
        List<String> texts = new ArrayList<>();
        for (Record record : response.getSection(Section.ANSWER)) {
            if (record instanceof TXTRecord txt) {
                texts.add(String.join("", txt.getStrings()));
            }
        }
        return texts.isEmpty() ? new NotFound("no TXT record at " + name) : new Found(texts);
    }

    /**
     * Every address of a host: its literal address; loopback for {@code localhost} and its subdomains
     * (RFC 6761 section 6.3, never asked of DNS); else its A and AAAA records from the configured resolver,
     * or the system's look-up when none is configured. IPv4-mapped AAAA answers stay IPv6, so the policy
     * sees them as they were given.
     *
     * @throws UnknownHostException when the host has no address
     */
    public List<InetAddress> addresses(String host) throws UnknownHostException {
        java.util.Optional<InetAddress> literal = EgressPolicy.literal(host);
        if (literal.isPresent()) {
            return List.of(literal.get());
        }
        String name = host.toLowerCase(java.util.Locale.ROOT).replaceAll("\\.$", "");
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return List.of(InetAddress.getByAddress(name, new byte[] {127, 0, 0, 1}));
        }
        if (!configured) {
            return List.of(InetAddress.getAllByName(name));
        }
        Name question;
        try {
            question = Name.fromString(name + ".");
        } catch (TextParseException e) {
            throw new UnknownHostException("not a DNS name: " + host);
        }
        List<InetAddress> found = new ArrayList<>();
        for (int type : new int[] {Type.A, Type.AAAA}) {
            Message response;
            try {
                response = resolver.send(Message.newQuery(Record.newRecord(question, type, DClass.IN)));
            } catch (IOException e) {
                throw new UnknownHostException("the DNS resolver did not answer for " + host);
            }
            for (Record record : response.getSection(Section.ANSWER)) {
                if (record instanceof ARecord a) {
                    found.add(a.getAddress());
                } else if (record instanceof AAAARecord aaaa) {
                    found.add(java.net.Inet6Address.getByAddress(name, aaaa.getAddress().getAddress().length == 16
                            ? aaaa.getAddress().getAddress() : EgressPolicy.mapped(aaaa.getAddress().getAddress()), -1));
                }
            }
        }
        if (found.isEmpty()) {
            throw new UnknownHostException(host);
        }
        return found;
    }
}
