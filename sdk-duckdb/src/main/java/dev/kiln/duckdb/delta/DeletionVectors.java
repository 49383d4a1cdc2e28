package dev.kiln.duckdb.delta;

import dev.kiln.StorageException;
import dev.kiln.UnsupportedFeatureException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.UUID;
import java.util.zip.CRC32;
import org.roaringbitmap.RoaringBitmap;

/** Loads deletion vectors (RoaringBitmapArray, inline Z85 or in {@code deletion_vector_<uuid>.bin} files). */
public final class DeletionVectors {
    private static final int MAGIC = 1681511377;
    private static final String Z85_CHARS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
    private static final int[] Z85_VALUES = new int[128];

    static {
        Arrays.fill(Z85_VALUES, -1);
        for (int i = 0; i < Z85_CHARS.length(); i++) {
            Z85_VALUES[Z85_CHARS.charAt(i)] = i;
        }
    }

    private DeletionVectors() {
    }

    /** The deleted row positions of one logical file: one 32-bit bitmap per high-32-bit key. */
    public record Positions(long[] keys, RoaringBitmap[] bitmaps) {
        /**
         * Returns the number of deleted rows.
         *
         * @return the cardinality
         */
        public long cardinality() {
            long n = 0;
            for (RoaringBitmap b : bitmaps) {
                n += b.getLongCardinality();
            }
            return n;
        }

        /**
         * Tells whether a row position is deleted.
         *
         * @param row the 0-based row position in the data file
         * @return true if deleted
         */
        public boolean contains(long row) {
            int i = Arrays.binarySearch(keys, row >>> 32);
            return i >= 0 && bitmaps[i].contains((int) row);
        }

        /**
         * Returns the deleted positions, ascending.
         *
         * @return the positions
         */
        public long[] toArray() {
            long[] out = new long[(int) cardinality()];
            int k = 0;
            for (int i = 0; i < keys.length; i++) {
                long high = keys[i] << 32;
                for (org.roaringbitmap.IntIterator it = bitmaps[i].getIntIterator(); it.hasNext();) {
                    out[k++] = high | (it.next() & 0xFFFFFFFFL);
                }
            }
            return out;
        }
    }

    /**
     * Loads the positions a deletion vector deletes.
     *
     * @param tableDir the table root (for relative DV files)
     * @param dv the descriptor
     * @return the positions
     * @throws StorageException if the DV file is missing or corrupt
     * @throws UnsupportedFeatureException for an unknown storage type
     */
    public static Positions load(Path tableDir, DeletionVector dv) {
        byte[] data;
        String where;
        switch (dv.storageType()) {
            case "i" -> {
                byte[] decoded;
                try {
                    decoded = z85Decode(dv.pathOrInlineDv());
                } catch (StorageException e) {
                    throw new StorageException("An inline deletion vector of table " + tableDir + " is corrupt: " + e.getMessage(), e);
                }
                if (decoded.length < dv.sizeInBytes()) {
                    throw new StorageException("Inline deletion vector of table " + tableDir + " is shorter than its sizeInBytes; the log is corrupt.");
                }
                data = Arrays.copyOf(decoded, dv.sizeInBytes());
                where = "inline deletion vector";
            }
            case "u", "p" -> {
                Path file = file(tableDir, dv);
                where = "deletion vector file " + file;
                data = readFromFile(file, dv.offset() == null ? 0 : dv.offset(), dv.sizeInBytes(), tableDir);
            }
            default -> throw new UnsupportedFeatureException("Table " + tableDir + " has a deletion vector with storage type '"
                    + dv.storageType() + "'; Kiln reads types u, i and p.");
        }
        Positions p = parse(data, where, tableDir);
        if (p.cardinality() != dv.cardinality()) {
            throw new StorageException("The " + where + " of table " + tableDir + " holds " + p.cardinality() + " rows but the log says "
                    + dv.cardinality() + "; the deletion vector is corrupt.");
        }
        return p;
    }

    /**
     * Returns the file a file-based deletion vector is stored in.
     *
     * @param tableDir the table root
     * @param dv a descriptor of storage type u or p
     * @return the absolute file path
     */
    public static Path file(Path tableDir, DeletionVector dv) {
        if (dv.storageType().equals("p")) {
            return DeltaPaths.resolve(tableDir, dv.pathOrInlineDv());
        }
        String s = dv.pathOrInlineDv();
        if (s.length() < 20) {
            throw new StorageException("Deletion vector id '" + s + "' of table " + tableDir + " is too short; the log is corrupt.");
        }
        String prefix = s.substring(0, s.length() - 20);
        byte[] raw;
        try {
            raw = z85Decode(s.substring(s.length() - 20));
        } catch (StorageException e) {
            throw new StorageException("Deletion vector id '" + s + "' of table " + tableDir + " is corrupt: " + e.getMessage(), e);
        }
        ByteBuffer bb = ByteBuffer.wrap(raw);
        UUID uuid = new UUID(bb.getLong(), bb.getLong());
        Path dir = prefix.isEmpty() ? tableDir : tableDir.resolve(prefix);
        return dir.resolve("deletion_vector_" + uuid + ".bin");
    }

    private static byte[] readFromFile(Path file, int offset, int size, Path tableDir) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(4);
            readFully(ch, head, offset);
            head.flip();
            int stored = head.getInt();
            int dataStart = offset + 4;
            if (stored != size) {
                throw new StorageException("Deletion vector at offset " + offset + " of " + file + " has size " + stored + " but the log says "
                        + size + "; the file is corrupt or does not belong to table " + tableDir + ".");
            }
            ByteBuffer data = ByteBuffer.allocate(size + 4);
            readFully(ch, data, dataStart);
            byte[] bytes = Arrays.copyOf(data.array(), size);
            data.position(size);
            int checksum = data.getInt();
            CRC32 crc = new CRC32();
            crc.update(bytes);
            if ((int) crc.getValue() != checksum) {
                throw new StorageException("Deletion vector at offset " + offset + " of " + file + " fails its CRC-32 check; the file is corrupt.");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new StorageException("Deletion vector file " + file + " of table " + tableDir
                    + " is missing; rows deleted by it cannot be hidden, so the table cannot be read. Restore the file.", e);
        } catch (IOException e) {
            throw new StorageException("Cannot read deletion vector file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at " + pos);
            }
            pos += n;
        }
    }

    static Positions parse(byte[] data, String where, Path tableDir) {
        try {
            ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            int magic = bb.getInt();
            if (magic != MAGIC) {
                throw new UnsupportedFeatureException("The " + where + " of table " + tableDir + " has magic number " + magic
                        + "; Kiln reads the RoaringBitmapArray format (" + MAGIC + ") only.");
            }
            long n = bb.getLong();
            if (n < 0 || n > Integer.MAX_VALUE) {
                throw new StorageException("The " + where + " of table " + tableDir + " claims " + n + " buckets; it is corrupt.");
            }
            long[] keys = new long[(int) n];
            RoaringBitmap[] maps = new RoaringBitmap[(int) n];
            for (int i = 0; i < n; i++) {
                keys[i] = bb.getInt() & 0xFFFFFFFFL;
                RoaringBitmap rb = new RoaringBitmap();
                ByteBuffer slice = bb.slice().order(ByteOrder.LITTLE_ENDIAN);
                rb.deserialize(slice);
                bb.position(bb.position() + rb.serializedSizeInBytes());
                maps[i] = rb;
            }
            return new Positions(keys, maps);
        } catch (IOException | RuntimeException e) {
            if (e instanceof dev.kiln.KilnException k) {
                throw k;
            }
            throw new StorageException("The " + where + " of table " + tableDir + " is not a valid RoaringBitmapArray: " + e.getMessage(), e);
        }
    }

    /**
     * Serialises row positions in the RoaringBitmapArray format (magic number, then the portable
     * 64-bit Roaring serialization), as stored inline or in DV files.
     *
     * @param rows the deleted row positions (any order, no negatives)
     * @return the bytes
     */
    public static byte[] serialize(long[] rows) {
        java.util.TreeMap<Long, RoaringBitmap> buckets = new java.util.TreeMap<>();
        for (long r : rows) {
            if (r < 0) {
                throw new dev.kiln.InvalidArgumentException("Row position " + r + " is negative; deletion vectors hold positions >= 0.");
            }
            buckets.computeIfAbsent(r >>> 32, k -> new RoaringBitmap()).add((int) r);
        }
        int size = 4 + 8;
        for (RoaringBitmap b : buckets.values()) {
            b.runOptimize();
            size += 4 + b.serializedSizeInBytes();
        }
        ByteBuffer bb = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(MAGIC);
        bb.putLong(buckets.size());
        for (java.util.Map.Entry<Long, RoaringBitmap> e : buckets.entrySet()) {
            bb.putInt((int) (long) e.getKey());
            ByteBuffer slice = bb.slice().order(ByteOrder.LITTLE_ENDIAN);
            e.getValue().serialize(slice);
            bb.position(bb.position() + e.getValue().serializedSizeInBytes());
        }
        return bb.array();
    }

    /**
     * Builds an inline ('i') deletion vector descriptor.
     *
     * @param rows the deleted row positions
     * @return the descriptor
     */
    public static DeletionVector inline(long[] rows) {
        byte[] data = serialize(rows);
        long cardinality = java.util.Arrays.stream(rows).distinct().count();
        return new DeletionVector("i", z85Encode(data), null, data.length, cardinality);
    }

    /**
     * Decodes Z85 (ZeroMQ base-85) text.
     *
     * @param text the encoded text, a multiple of 5 characters
     * @return the bytes (4 per 5 characters)
     * @throws StorageException if the text is not Z85
     */
    public static byte[] z85Decode(String text) {
        if (text.length() % 5 != 0) {
            throw new StorageException("Z85 text of length " + text.length() + " is not a multiple of 5: " + text);
        }
        byte[] out = new byte[text.length() / 5 * 4];
        int o = 0;
        for (int i = 0; i < text.length(); i += 5) {
            long value = 0;
            for (int j = 0; j < 5; j++) {
                char c = text.charAt(i + j);
                int d = c < 128 ? Z85_VALUES[c] : -1;
                if (d < 0) {
                    throw new StorageException("Character '" + c + "' is not Z85 in: " + text);
                }
                value = value * 85 + d;
            }
            out[o++] = (byte) (value >>> 24);
            out[o++] = (byte) (value >>> 16);
            out[o++] = (byte) (value >>> 8);
            out[o++] = (byte) value;
        }
        return out;
    }

    /**
     * Encodes bytes as Z85, padding with zero bytes to a multiple of 4.
     *
     * @param data the bytes
     * @return the text
     */
    public static String z85Encode(byte[] data) {
        int padded = (data.length + 3) / 4 * 4;
        byte[] in = Arrays.copyOf(data, padded);
        StringBuilder sb = new StringBuilder(padded / 4 * 5);
        char[] block = new char[5];
        for (int i = 0; i < padded; i += 4) {
            long value = ((in[i] & 0xFFL) << 24) | ((in[i + 1] & 0xFFL) << 16) | ((in[i + 2] & 0xFFL) << 8) | (in[i + 3] & 0xFFL);
            for (int j = 4; j >= 0; j--) {
                block[j] = Z85_CHARS.charAt((int) (value % 85));
                value /= 85;
            }
            sb.append(block);
        }
        return sb.toString();
    }
}
