package io.gatehouse.org;

import io.gatehouse.platform.GatehouseConfig;
import jakarta.enterprise.context.ApplicationScoped;
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
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * TXT records, asked of the configured resolver ({@code gatehouse.dns.resolver}) or the system's, with
 * no cache of Gatehouse's own: a record an admin has just published is seen on the next check.
 */
@ApplicationScoped
public class DnsTxtLookup {

    private final Resolver resolver;

    public DnsTxtLookup(GatehouseConfig config) throws UnknownHostException {
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
}
