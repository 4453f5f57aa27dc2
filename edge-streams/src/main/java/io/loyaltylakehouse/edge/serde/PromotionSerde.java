package io.loyaltylakehouse.edge.serde;

import io.loyaltylakehouse.common.model.Promotion;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** {@link Promotion} in the global promotions store, scanned for every purchase. */
public final class PromotionSerde extends BinarySerde<Promotion> {
    public PromotionSerde() {
        super(1);
    }

    @Override
    void write(final Promotion promotion, final DataOutputStream out) throws IOException {
        writeString(promotion.promoId(), out);
        out.writeInt(promotion.multiplier());
        writeNullableString(promotion.storeId(), out);
        writeInstant(promotion.startsAt(), out);
        writeInstant(promotion.endsAt(), out);
    }

    @Override
    Promotion read(final DataInputStream in) throws IOException {
        return new Promotion(readString(in), in.readInt(), readNullableString(in), readInstant(in), readInstant(in));
    }
}
