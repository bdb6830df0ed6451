using System;
using IndraSmartPro.Persistence;

namespace IndraSmartPro.Pests
{
    /// <summary>
    /// The latched trip causes and their record in the store: restored at construction (fail safe:
    /// a copy missing or failing its checks may have hidden a latch, so it latches
    /// <see cref="TripCauses.LatchRecordCorrupt"/>), written twice per change (two keys, so a power cut
    /// between the writes of a reset keeps the latch), retried every 10 ms while the store refuses
    /// (invariants P9, S5). It decides nothing about relays: <see cref="PestProtection"/> trips and
    /// reports; this keeps what was latched. Allocation-free: one preallocated record buffer.
    /// </summary>
    public sealed class PestLatch
    {
        private const int CopyMissing = 0;
        private const int CopyValid = 1;
        private const int CopyCorrupt = 2;

        private readonly IStore _store;
        private readonly byte[] _recordBuffer = new byte[64];
        private int _causeMask;
        private int _firstCause;
        private int _tripCount;
        private bool _persistPending;
        private int _persistFailures;
        private long _lastPersistAttemptMicroseconds = long.MinValue / 2;

        /// <summary>Restores the latch from <paramref name="store"/>.</summary>
        public PestLatch(IStore store)
        {
            if (store == null)
            {
                throw new ArgumentNullException();
            }

            _store = store;
            Restore();
        }

        /// <summary>True while a protective trip or fault is latched.</summary>
        public bool Latched => _causeMask != 0;

        /// <summary>The first latched cause (<see cref="TripCauses"/>), or <see cref="TripCauses.None"/>.</summary>
        public int FirstCause => _firstCause;

        /// <summary>Every latched cause, bit i = <see cref="TripCauses"/> index i.</summary>
        public int CauseMask => _causeMask;

        /// <summary>Trips latched over the unit's life (persisted with the latch).</summary>
        public int TripCount => _tripCount;

        /// <summary>How many writes of the latch record failed (each is retried 10 ms later).</summary>
        public int PersistFailures => _persistFailures;

        /// <summary>True while a latched cause opens the earth relay (a PEN-fault cause).</summary>
        public bool HasEarthOpeningCause
        {
            get
            {
                int mask = _causeMask;
                for (int cause = 1; cause < TripCauses.Count; cause++)
                {
                    if ((mask & TripCauses.Bit(cause)) != 0 && TripCauses.OpensEarth(cause))
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        /// <summary>
        /// False when latching <paramref name="cause"/> would add nothing to act on or report: it is
        /// latched already, or it is a PEN-fault cause and one is latched (the unit is already
        /// disconnected from line, neutral and earth).
        /// </summary>
        public bool IsNew(int cause)
        {
            if ((_causeMask & TripCauses.Bit(cause)) != 0)
            {
                return false;
            }

            return !(TripCauses.OpensEarth(cause) && HasEarthOpeningCause);
        }

        /// <summary>Latches a cause (after the trip has acted) and schedules the write.</summary>
        public void Add(int cause)
        {
            if (_causeMask == 0)
            {
                _firstCause = cause;
            }

            _causeMask |= TripCauses.Bit(cause);
            _tripCount++;
            _persistPending = true;
        }

        /// <summary>
        /// Writes a changed latch, at most every <paramref name="retryMicroseconds"/>. Flash writes
        /// take milliseconds: the first attempt is <see cref="PersistNow"/> in the detecting call,
        /// after the relays opened; retries run from the "pests" task. A write that throws (worn or full
        /// flash) leaves the latch in force in memory, with the relays open, and is retried until it
        /// is stored: the latch must survive the next power cut (invariant P9), and the exception
        /// must not stop the scheduler.
        /// </summary>
        public void PersistIfPending(long nowMicroseconds, int retryMicroseconds)
        {
            if (!_persistPending || nowMicroseconds - _lastPersistAttemptMicroseconds < retryMicroseconds)
            {
                return;
            }

            _lastPersistAttemptMicroseconds = nowMicroseconds;
            try
            {
                Persist();
                _persistPending = false;
            }
            catch (Exception)
            {
                _persistFailures++;
            }
        }

        /// <summary>
        /// Writes a changed latch now, whatever the retry interval: called in the detecting call
        /// right after the relays opened and before the trip is published, so that an exception
        /// thrown by a listener (which reboots the device) cannot lose a latch not yet stored
        /// (invariant P9). A refused write is counted and left to <see cref="PersistIfPending"/>.
        /// </summary>
        /// <returns>True when nothing is left to write.</returns>
        public bool PersistNow(long nowMicroseconds)
        {
            if (!_persistPending)
            {
                return true;
            }

            _lastPersistAttemptMicroseconds = nowMicroseconds;
            try
            {
                Persist();
                _persistPending = false;
                return true;
            }
            catch (Exception)
            {
                _persistFailures++;
                return false;
            }
        }

        /// <summary>
        /// Clears the latch, storing the cleared record first: if the store refuses, nothing is
        /// cleared (in memory or in the store) and false is returned.
        /// </summary>
        public bool TryClear()
        {
            int previousMask = _causeMask;
            int previousCause = _firstCause;
            _causeMask = 0;
            _firstCause = TripCauses.None;
            try
            {
                Persist();
            }
            catch (Exception)
            {
                _persistFailures++;
                _causeMask = previousMask;
                _firstCause = previousCause;
                return false;
            }

            _persistPending = false;
            return true;
        }

        private void Restore()
        {
            // Both copies missing (never written; a copy present but unreadable counts as
            // corrupt): a unit that has never latched. Both valid: merged, latched if
            // either is (a power cut between the two writes of a reset keeps the latch). Anything
            // else (a copy missing or failing its checks) may have hidden a latch: fail safe.
            bool latchedA;
            bool latchedB;
            int causeA;
            int causeB;
            int maskA;
            int maskB;
            int countA;
            int countB;
            int stateA = ReadCopy(LatchRecord.Key, out latchedA, out causeA, out maskA, out countA);
            int stateB = ReadCopy(LatchRecord.SecondKey, out latchedB, out causeB, out maskB, out countB);
            if (stateA == CopyMissing && stateB == CopyMissing)
            {
                return;
            }

            if (stateA == CopyValid && stateB == CopyValid)
            {
                _causeMask = maskA | maskB;
                _firstCause = latchedA ? causeA : causeB;
                _tripCount = countA > countB ? countA : countB;
                return;
            }

            _causeMask = TripCauses.Bit(TripCauses.LatchRecordCorrupt);
            _firstCause = TripCauses.LatchRecordCorrupt;
            _tripCount = stateA == CopyValid ? countA : (stateB == CopyValid ? countB : 0);
            _persistPending = true;
        }

        private int ReadCopy(string key, out bool latched, out int cause, out int mask, out int count)
        {
            int length;
            if (!_store.TryRead(key, _recordBuffer, out length))
            {
                latched = false;
                cause = TripCauses.None;
                mask = 0;
                count = 0;

                // Present but unreadable (a damaged flash file) may have been a latch: corrupt,
                // never "missing", or two damaged copies would read as a unit that never latched.
                return _store.HasRecord(key) ? CopyCorrupt : CopyMissing;
            }

            return LatchRecord.TryDecode(_recordBuffer, length, out latched, out cause, out mask, out count) ? CopyValid : CopyCorrupt;
        }

        private void Persist()
        {
            LatchRecord.Encode(_recordBuffer, _causeMask != 0, _firstCause, _causeMask, _tripCount);
            _store.Write(LatchRecord.Key, _recordBuffer, LatchRecord.Length);
            _store.Write(LatchRecord.SecondKey, _recordBuffer, LatchRecord.Length);
        }
    }
}
