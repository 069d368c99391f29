package io.helios.codec;

import io.helios.core.change.TableId;

import java.util.Optional;

/**
 * Where the codec finds zstd dictionaries: by table when encoding (the batch's busiest table
 * chooses), by id when decoding. Both sides must hold the same dictionary under the same id;
 * a batch naming an id the decoder lacks is refused with {@code UNKNOWN_DICTIONARY}.
 * Implementations must be thread-safe.
 */
public interface DictionaryStore {

    DictionaryStore NONE = new DictionaryStore() {
        @Override
        public Optional<ZstdDictionary> forTable(TableId table) {
            return Optional.empty();
        }

        @Override
        public Optional<ZstdDictionary> byId(int id) {
            return Optional.empty();
        }
    };

    /** The dictionary to compress a batch whose changes are mostly of this table, if any. */
    Optional<ZstdDictionary> forTable(TableId table);

    /** The dictionary with this id, if this side has it. */
    Optional<ZstdDictionary> byId(int id);
}
