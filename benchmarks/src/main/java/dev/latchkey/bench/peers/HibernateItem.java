package dev.latchkey.bench.peers;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * The {@code items} row as a Hibernate entity with a {@code @Version} column. The table name is
 * mapped to the trial's unique table by {@link HibernatePeer}'s naming strategy.
 */
@Entity
@Table(name = HibernateItem.LOGICAL_TABLE)
public class HibernateItem {
    /** The name in the mapping; the physical name is the trial's table. */
    static final String LOGICAL_TABLE = "peer_item";

    @Id
    private Long id;

    private long stock;

    @Version
    private long version;

    /** For Hibernate. */
    protected HibernateItem() {
    }

    /** @return the stock */
    public long stock() {
        return stock;
    }

    /**
     * Takes units of stock; written at commit with the version check.
     *
     * @param units how many
     */
    public void take(long units) {
        stock -= units;
    }
}
