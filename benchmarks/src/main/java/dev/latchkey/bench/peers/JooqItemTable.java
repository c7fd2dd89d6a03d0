package dev.latchkey.bench.peers;

import org.jooq.TableField;
import org.jooq.UniqueKey;
import org.jooq.impl.DSL;
import org.jooq.impl.Internal;
import org.jooq.impl.SQLDataType;
import org.jooq.impl.TableImpl;

/**
 * The {@code items} table as jOOQ's code generator would write it (written by hand here: the
 * table's name is chosen per trial): a primary key, so records are updatable, and {@code version}
 * as the record version, so {@code store()} with optimistic locking checks it in the
 * {@code UPDATE}. Names are unquoted, as the table was created.
 */
public final class JooqItemTable extends TableImpl<JooqItemTable.ItemRecord> {
    private static final long serialVersionUID = 1L;

    /**
     * The trial's table. jOOQ creates records through their no-argument constructor, and a
     * generated record names its table statically; this field is that static reference, set
     * when a trial's {@link JooqPeer} is made (one trial at a time per JVM, as JMH runs them).
     */
    private static volatile JooqItemTable current;

    /** {@code id}, the primary key. */
    public final TableField<ItemRecord, Long> id = createField(DSL.unquotedName("id"),
            SQLDataType.BIGINT.nullable(false), this, "");
    /** {@code stock}. */
    public final TableField<ItemRecord, Long> stock = createField(DSL.unquotedName("stock"),
            SQLDataType.BIGINT.nullable(false), this, "");
    /** {@code version}, the record version. */
    public final TableField<ItemRecord, Long> version = createField(DSL.unquotedName("version"),
            SQLDataType.BIGINT.nullable(false), this, "");

    private JooqItemTable(String name) {
        super(DSL.unquotedName(name));
    }

    /**
     * Makes the table of a trial and makes it the one records belong to.
     *
     * @param name the table's name
     * @return the table
     */
    static JooqItemTable forTrial(String name) {
        JooqItemTable table = new JooqItemTable(name);
        current = table;
        return table;
    }

    @Override
    public Class<ItemRecord> getRecordType() {
        return ItemRecord.class;
    }

    @Override
    public UniqueKey<ItemRecord> getPrimaryKey() {
        return Internal.createUniqueKey(this, DSL.unquotedName("pk_" + getName()), id);
    }

    @Override
    public TableField<ItemRecord, Long> getRecordVersion() {
        return version;
    }

    /** A row of {@code items}, as a generated updatable record. */
    public static final class ItemRecord extends org.jooq.impl.UpdatableRecordImpl<ItemRecord> {
        private static final long serialVersionUID = 1L;

        /** Used by jOOQ. */
        public ItemRecord() {
            super(current);
        }

        /** @return the stock */
        public long getStock() {
            return get(current.stock);
        }

        /**
         * Sets the stock.
         *
         * @param value the stock
         */
        public void setStock(long value) {
            set(current.stock, value);
        }
    }
}
