package io.helios.codec;

import io.helios.core.change.TableId;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link DictionaryStore} in memory: dictionaries by id, and the one to use per table.
 * Replacing a table's dictionary keeps the old one decodable by id. Thread-safe.
 */
public final class InMemoryDictionaryStore implements DictionaryStore {

    private final ConcurrentHashMap<Integer, ZstdDictionary> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TableId, ZstdDictionary> byTable = new ConcurrentHashMap<>();

    /** Makes {@code dictionary} the one new batches of {@code table} use. */
    public InMemoryDictionaryStore put(TableId table, ZstdDictionary dictionary) {
        add(dictionary);
        byTable.put(table, dictionary);
        return this;
    }

    /** Makes {@code dictionary} known for decoding only. */
    public InMemoryDictionaryStore add(ZstdDictionary dictionary) {
        ZstdDictionary old = byId.putIfAbsent(dictionary.id(), dictionary);
        if (old != null && old != dictionary) {
            throw new IllegalArgumentException("dictionary id " + dictionary.id() + " is already taken");
        }
        return this;
    }

    @Override
    public Optional<ZstdDictionary> forTable(TableId table) {
        return Optional.ofNullable(byTable.get(table));
    }

    @Override
    public Optional<ZstdDictionary> byId(int id) {
        return Optional.ofNullable(byId.get(id));
    }
}
