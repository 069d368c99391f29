package io.helios.codec;

import io.helios.core.change.SourceTransaction;

import java.util.List;
import java.util.Objects;

/**
 * The unit the codec ships between regions: whole source transactions of one replication, in
 * commit order, numbered by the sender.
 *
 * @param tenant      the tenant the changes belong to (at most 255 UTF-8 bytes)
 * @param replication the replication that captured them (at most 255 UTF-8 bytes)
 * @param sequence    the sender's batch number, bound into the encryption so a batch cannot be
 *                    passed off as another
 * @param transactions whole committed transactions, in commit order
 */
public record ChangeBatch(String tenant, String replication, long sequence, List<SourceTransaction> transactions) {

    public ChangeBatch {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(replication, "replication");
        transactions = List.copyOf(transactions);
    }

    public int rowCount() {
        int n = 0;
        for (SourceTransaction t : transactions) {
            n += t.rowCount();
        }
        return n;
    }
}
