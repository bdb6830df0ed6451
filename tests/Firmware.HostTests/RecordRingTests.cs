using System;
using System.Collections.Generic;
using System.IO;
using IndraSmartPro.Board.Esp32;
using IndraSmartPro.Persistence;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>
/// The bounded record ring (src/Firmware.Core/Persistence/RecordRing.cs): order, paging, the oldest
/// segment dropped when full, reopening after a reboot, and a power cut at every byte and every
/// step of a run of appends, which may lose only the entry being written.
/// </summary>
public sealed class RecordRingTests : IDisposable
{
    private const string Name = "ring";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "indra-ring-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, true);
        }
    }

    /// <summary>The data of entry <paramref name="sequence"/>: 1 to 7 bytes derived from the number, so every entry is checkable.</summary>
    private static byte[] DataOf(int sequence)
    {
        var data = new byte[(sequence % 7) + 1];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (byte)((sequence * 31) + i);
        }

        return data;
    }

    private static int KindOf(int sequence) => (sequence % 3) + 1;

    private static int AppendNext(RecordRing ring)
    {
        int sequence = ring.NewestSequence + 1;
        byte[] data = DataOf(sequence);
        Assert.Equal(sequence, ring.Append(KindOf(sequence), 1, data, data.Length));
        return sequence;
    }

    /// <summary>Reads every entry from the oldest and checks each against <see cref="DataOf"/>; returns the sequence numbers read.</summary>
    private static List<int> ReadAll(RecordRing ring)
    {
        var cursor = new RecordRingCursor();
        ring.Seek(cursor, 0);
        var data = new byte[ring.MaxDataBytes];
        var read = new List<int>();
        while (ring.TryReadNext(cursor, data, out int sequence, out int kind, out int version, out int length))
        {
            Assert.Equal(DataOf(sequence), data[..length]);
            Assert.Equal(KindOf(sequence), kind);
            Assert.Equal(1, version);
            read.Add(sequence);
        }

        return read;
    }

    private static void AssertContiguous(RecordRing ring, List<int> read)
    {
        Assert.Equal(ring.Count, read.Count);
        for (int i = 0; i < read.Count; i++)
        {
            Assert.Equal(ring.OldestSequence + i, read[i]);
        }

        if (read.Count > 0)
        {
            Assert.Equal(ring.NewestSequence, read[^1]);
        }
    }

    [Fact]
    public void RecordRing_Empty_HasNothingToRead()
    {
        var ring = new RecordRing(new MemoryStore(), Name, 4, 64, 8);
        Assert.Equal(0, ring.Count);
        Assert.Equal(0, ring.OldestSequence);
        Assert.Equal(0, ring.NewestSequence);
        Assert.Empty(ReadAll(ring));
    }

    [Fact]
    public void RecordRing_Appends_ReadBackInOrderWithKindVersionAndData()
    {
        var ring = new RecordRing(new MemoryStore(), Name, 4, 64, 8);
        for (int i = 0; i < 5; i++)
        {
            AppendNext(ring);
        }

        Assert.Equal(new[] { 1, 2, 3, 4, 5 }, ReadAll(ring));
        Assert.Equal(1, ring.OldestSequence);
        Assert.Equal(5, ring.NewestSequence);
    }

    [Fact]
    public void RecordRing_Full_DropsTheOldestSegmentOnlyAndKeepsAtLeastAllButOneSegment()
    {
        var store = new MemoryStore();
        var ring = new RecordRing(store, Name, 4, 64, 8);
        for (int i = 0; i < 200; i++)
        {
            AppendNext(ring);
            List<int> read = ReadAll(ring);
            AssertContiguous(ring, read);

            // (segments − 1) × segment bytes of entries at most 8 + 13 bytes long.
            Assert.True(ring.Count >= Math.Min(ring.NewestSequence, 3 * 64 / (8 + RecordRing.EntryOverheadBytes)), "count " + ring.Count);
        }

        Assert.True(ring.OldestSequence > 1);
        for (int slot = 0; slot < 4; slot++)
        {
            Assert.True(store.SegmentLength(Name + "-" + slot) <= 64);
        }
    }

    [Fact]
    public void RecordRing_Reopened_KeepsEntriesAndContinuesTheSequence()
    {
        var store = new MemoryStore();
        var ring = new RecordRing(store, Name, 4, 64, 8);
        for (int i = 0; i < 37; i++)
        {
            AppendNext(ring);
        }

        var reopened = new RecordRing(store, Name, 4, 64, 8);
        Assert.Equal(ring.OldestSequence, reopened.OldestSequence);
        Assert.Equal(37, reopened.NewestSequence);
        Assert.Equal(38, AppendNext(reopened));
        AssertContiguous(reopened, ReadAll(reopened));
    }

    [Fact]
    public void RecordRing_SeekFromSequence_ReadsAPageFromThere()
    {
        var ring = new RecordRing(new MemoryStore(), Name, 8, 128, 8);
        for (int i = 0; i < 30; i++)
        {
            AppendNext(ring);
        }

        var cursor = new RecordRingCursor();
        var data = new byte[8];
        ring.Seek(cursor, 17);
        for (int expected = 17; expected < 22; expected++)
        {
            Assert.True(ring.TryReadNext(cursor, data, out int sequence, out _, out _, out int length));
            Assert.Equal(expected, sequence);
            Assert.Equal(DataOf(expected), data[..length]);
        }

        Assert.Equal(22, cursor.Sequence);
        ring.Seek(cursor, 31);
        Assert.False(ring.TryReadNext(cursor, data, out _, out _, out _, out _));
    }

    [Fact]
    public void RecordRing_ReaderOvertakenByRotation_ContinuesAtTheOldestHeld()
    {
        var ring = new RecordRing(new MemoryStore(), Name, 3, 64, 8);
        AppendNext(ring);
        var cursor = new RecordRingCursor();
        var data = new byte[8];
        ring.Seek(cursor, 1);
        for (int i = 0; i < 40; i++)
        {
            AppendNext(ring);
        }

        Assert.True(ring.TryReadNext(cursor, data, out int sequence, out _, out _, out _));
        Assert.Equal(ring.OldestSequence, sequence);
    }

    [Fact]
    public void RecordRing_DataLongerThanTheRingsLargest_Throws()
    {
        var ring = new RecordRing(new MemoryStore(), Name, 2, 64, 8);
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.Append(1, 1, new byte[9], 9));
        Assert.Equal(0, ring.Count);
    }

    [Fact]
    public void RecordRing_Clear_ForgetsEverythingAndRestartsAtOne()
    {
        var store = new MemoryStore();
        var ring = new RecordRing(store, Name, 4, 64, 8);
        for (int i = 0; i < 20; i++)
        {
            AppendNext(ring);
        }

        ring.Clear();
        Assert.Equal(0, ring.Count);
        Assert.Equal(0, new RecordRing(store, Name, 4, 64, 8).Count);
        Assert.Equal(1, AppendNext(ring));
    }

    [Fact]
    public void RecordRing_TwelveMonthsOfHalfHourlyEnergy_FitTheDocumentedRing()
    {
        // docs/storage.md: 17 520 half-hour entries of 12 data bytes (25 bytes each with the
        // overhead) in 30 segments of 16 KiB; none may be dropped.
        var store = new MemoryStore();
        var ring = new RecordRing(store, "energy-hh", 30, 16384, 12);
        var data = new byte[12];
        for (int i = 0; i < 17520; i++)
        {
            ring.Append(4, 1, data, data.Length);
        }

        Assert.Equal(17520, ring.Count);
        Assert.Equal(1, ring.OldestSequence);
        Assert.Equal(17520L * 25, store.AppendedBytes);
    }

    /// <summary>
    /// A store that loses power after a budget of bytes and steps: an append writes only what the
    /// budget allows and then fails, a delete or an atomic write is one step. What it leaves in
    /// <see cref="Inner"/> is what the flash would hold after the cut.
    /// </summary>
    private sealed class PowerCutStore : IStore
    {
        public PowerCutStore(MemoryStore inner, int budget)
        {
            Inner = inner;
            Budget = budget;
        }

        public MemoryStore Inner { get; }

        public int Budget { get; private set; }

        public bool TryRead(string key, byte[] buffer, out int length) => Inner.TryRead(key, buffer, out length);

        public bool HasRecord(string key) => Inner.HasRecord(key);

        public int ReadAt(string key, int position, byte[] buffer, int offset, int count) => Inner.ReadAt(key, position, buffer, offset, count);

        public void Write(string key, byte[] data, int length)
        {
            Step();
            Inner.Write(key, data, length);
        }

        public void Delete(string key)
        {
            Step();
            Inner.Delete(key);
        }

        public void Append(string key, byte[] data, int length)
        {
            int written = Math.Min(Budget, length);
            Inner.Append(key, data, written);
            Budget -= written;
            if (written < length)
            {
                throw new IOException("power cut");
            }
        }

        private void Step()
        {
            if (Budget == 0)
            {
                throw new IOException("power cut");
            }

            Budget--;
        }
    }

    [Fact]
    public void RecordRing_PowerCutAtEveryByteAndStep_LosesAtMostTheEntryBeingWritten()
    {
        const int segments = 4;
        const int segmentBytes = 64;
        const int before = 9;
        const int attempted = 12;
        for (int budget = 0; ; budget++)
        {
            var memory = new MemoryStore();
            var setup = new RecordRing(memory, Name, segments, segmentBytes, 8);
            for (int i = 0; i < before; i++)
            {
                AppendNext(setup);
            }

            var cut = new RecordRing(new PowerCutStore(memory, budget), Name, segments, segmentBytes, 8);
            int confirmed = cut.NewestSequence;
            bool powerCut = false;
            for (int i = 0; i < attempted && !powerCut; i++)
            {
                try
                {
                    confirmed = AppendNext(cut);
                }
                catch (IOException)
                {
                    powerCut = true;
                }
            }

            // What an uncut ring holds after the same appends, the one in flight included.
            var reference = new RecordRing(new MemoryStore(), Name, segments, segmentBytes, 8);
            for (int i = 0; i < confirmed + (powerCut ? 1 : 0); i++)
            {
                AppendNext(reference);
            }

            var rebooted = new RecordRing(memory, Name, segments, segmentBytes, 8);
            List<int> read = ReadAll(rebooted);
            AssertContiguous(rebooted, read);
            Assert.True(rebooted.NewestSequence == confirmed || rebooted.NewestSequence == confirmed + 1, "budget " + budget);
            Assert.True(rebooted.OldestSequence <= reference.OldestSequence, "budget " + budget + ": an older entry was lost");

            // The ring goes on after the cut.
            for (int i = 0; i < 5; i++)
            {
                AppendNext(rebooted);
            }

            AssertContiguous(rebooted, ReadAll(rebooted));
            Assert.Equal(rebooted.NewestSequence, new RecordRing(memory, Name, segments, segmentBytes, 8).NewestSequence);

            if (!powerCut)
            {
                break;
            }
        }
    }

    [Fact]
    public void RecordRing_TornTailThenReboots_NeverAppendsAfterTheDamage()
    {
        var memory = new MemoryStore();
        var ring = new RecordRing(memory, Name, 4, 128, 8);
        for (int i = 0; i < 3; i++)
        {
            AppendNext(ring);
        }

        // A cut left half of entry 4 at the end of segment 0.
        int full = memory.SegmentLength(Name + "-0");
        AppendNext(ring);
        memory.TearSegment(Name + "-0", full + 6);

        var rebooted = new RecordRing(memory, Name, 4, 128, 8);
        Assert.Equal(3, rebooted.NewestSequence);
        Assert.Equal(4, AppendNext(rebooted));
        Assert.Equal(full + 6, memory.SegmentLength(Name + "-0"));
        Assert.Equal(new[] { 1, 2, 3, 4 }, ReadAll(new RecordRing(memory, Name, 4, 128, 8)));
    }

    [Fact]
    public void RecordRing_OverTheFlashFileStore_SurvivesAReopenAndATornSegmentFile()
    {
        var ring = new RecordRing(new FlashFileStore(_dir), Name, 4, 96, 8);
        for (int i = 0; i < 30; i++)
        {
            AppendNext(ring);
        }

        var reopened = new RecordRing(new FlashFileStore(_dir), Name, 4, 96, 8);
        AssertContiguous(reopened, ReadAll(reopened));
        Assert.Equal(30, reopened.NewestSequence);

        // Tear the newest entry in its file, as a cut during the append would.
        // The newest segment file is the one whose first entry has the largest sequence number
        // (bytes 5..8 of the file: after the frame header).
        string newest = null;
        int newestFirst = 0;
        foreach (string file in Directory.GetFiles(_dir, Name + "-*.seg"))
        {
            int first = BitConverter.ToInt32(File.ReadAllBytes(file), RecordCodec.HeaderBytes);
            if (first > newestFirst)
            {
                newest = file;
                newestFirst = first;
            }
        }

        byte[] bytes = File.ReadAllBytes(newest);
        File.WriteAllBytes(newest, bytes[..^3]);
        var afterCut = new RecordRing(new FlashFileStore(_dir), Name, 4, 96, 8);
        Assert.Equal(29, afterCut.NewestSequence);
        Assert.Equal(30, AppendNext(afterCut));
        AssertContiguous(afterCut, ReadAll(new RecordRing(new FlashFileStore(_dir), Name, 4, 96, 8)));
    }
}
