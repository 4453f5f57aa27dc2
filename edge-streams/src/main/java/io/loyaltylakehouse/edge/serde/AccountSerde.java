package io.loyaltylakehouse.edge.serde;

import io.loyaltylakehouse.edge.model.Account;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/** {@link Account} in the accounts store: balance, paused_until, then the open fraud windows. */
public final class AccountSerde extends BinarySerde<Account> {
    public AccountSerde() {
        super(1);
    }

    @Override
    void write(final Account account, final DataOutputStream out) throws IOException {
        out.writeLong(account.balance());
        writeInstant(account.pausedUntil(), out);
        out.writeInt(account.windowPoints().size());
        for (final Map.Entry<Long, Long> window : account.windowPoints().entrySet()) {
            out.writeLong(window.getKey());
            out.writeLong(window.getValue());
        }
    }

    @Override
    Account read(final DataInputStream in) throws IOException {
        final long balance = in.readLong();
        final var pausedUntil = readInstant(in);
        final int windows = in.readInt();
        final TreeMap<Long, Long> windowPoints = new TreeMap<>();
        for (int i = 0; i < windows; i++) {
            windowPoints.put(in.readLong(), in.readLong());
        }
        return new Account(balance, pausedUntil, windowPoints);
    }
}
