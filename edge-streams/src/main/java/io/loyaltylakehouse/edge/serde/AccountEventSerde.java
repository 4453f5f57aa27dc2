package io.loyaltylakehouse.edge.serde;

import io.loyaltylakehouse.common.model.PurchaseEvent;
import io.loyaltylakehouse.common.model.RedemptionEvent;
import io.loyaltylakehouse.edge.model.AccountEvent;
import io.loyaltylakehouse.edge.model.InputRecord;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;

/** {@link AccountEvent} on the internal id topic: written and read once per input, so binary. */
public final class AccountEventSerde extends BinarySerde<AccountEvent> {
    private static final int PURCHASE = 'P';
    private static final int REDEMPTION = 'R';

    public AccountEventSerde() {
        super(1);
    }

    @Override
    void write(final AccountEvent event, final DataOutputStream out) throws IOException {
        if (event.purchase() != null) {
            final PurchaseEvent purchase = event.purchase();
            out.writeByte(PURCHASE);
            writeString(purchase.transactionId(), out);
            writeString(purchase.userId(), out);
            writeString(purchase.amount().toString(), out);
            writeString(purchase.currency(), out);
            writeString(purchase.storeId(), out);
            writeInstant(purchase.eventTime(), out);
        } else {
            final RedemptionEvent redemption = event.redemption();
            out.writeByte(REDEMPTION);
            writeString(redemption.redemptionId(), out);
            writeString(redemption.userId(), out);
            out.writeLong(redemption.points());
            writeInstant(redemption.eventTime(), out);
        }
        writeInstant(event.partitionStreamTime(), out);
        final InputRecord source = event.source();
        out.writeBoolean(source != null);
        if (source != null) {
            writeString(source.topic(), out);
            out.writeInt(source.partition());
            out.writeLong(source.offset());
            out.writeInt(source.raw().length);
            out.write(source.raw());
        }
    }

    @Override
    AccountEvent read(final DataInputStream in) throws IOException {
        final int kind = in.readByte();
        PurchaseEvent purchase = null;
        RedemptionEvent redemption = null;
        if (kind == PURCHASE) {
            purchase = new PurchaseEvent(
                    readString(in),
                    readString(in),
                    new BigDecimal(readString(in)),
                    readString(in),
                    readString(in),
                    readInstant(in));
        } else if (kind == REDEMPTION) {
            redemption = new RedemptionEvent(readString(in), readString(in), in.readLong(), readInstant(in));
        } else {
            throw new IOException("unknown event kind " + kind);
        }
        final var streamTime = readInstant(in);
        InputRecord source = null;
        if (in.readBoolean()) {
            final String topic = readString(in);
            final int partition = in.readInt();
            final long offset = in.readLong();
            final byte[] raw = new byte[in.readInt()];
            in.readFully(raw);
            source = new InputRecord(topic, partition, offset, raw);
        }
        return new AccountEvent(purchase, redemption, streamTime, source);
    }
}
