using IndraSmartPro.ControlPilot;
using IndraSmartPro.Metering;
using IndraSmartPro.Persistence;
using IndraSmartPro.Pests;

namespace IndraSmartPro.Firmware
{
    /// <summary>
    /// Rewrites the keyed records of earlier firmware (latch version 1, calibration version 1,
    /// the energy record without header or CRC) in the one record format (<see cref="RecordCodec"/>),
    /// once, at boot, before any module reads them. Idempotent: a record already current, missing
    /// or damaged is left exactly as it is (a damaged latch copy must stay damaged so that it still
    /// fails safe). The decoders read the old formats too, so a cut during the migration, or a write
    /// that fails, changes nothing a module sees; the next boot finishes the job.
    /// </summary>
    public static class StoredRecordMigration
    {
        /// <summary>Bytes of the working buffer: the longest record involved (energy, 40 bytes, and calibration, 50).</summary>
        public const int BufferBytes = 64;

        /// <summary>Upgrades every old record in <paramref name="store"/>; returns how many were rewritten.</summary>
        public static int Run(IStore store)
        {
            byte[] buffer = new byte[BufferBytes];
            int rewritten = 0;
            rewritten += Rewrite(store, LatchRecord.Key, buffer, LatchRecord.Upgrade(buffer, Read(store, LatchRecord.Key, buffer)));
            rewritten += Rewrite(store, LatchRecord.SecondKey, buffer, LatchRecord.Upgrade(buffer, Read(store, LatchRecord.SecondKey, buffer)));
            rewritten += Rewrite(store, CalibrationRecord.StoreKey, buffer, CalibrationRecord.Upgrade(buffer, Read(store, CalibrationRecord.StoreKey, buffer)));
            rewritten += Rewrite(store, EnergyMeter.StoreKey, buffer, EnergyRecord.Upgrade(buffer, Read(store, EnergyMeter.StoreKey, buffer)));
            return rewritten;
        }

        private static int Read(IStore store, string key, byte[] buffer)
        {
            int length;
            return store.TryRead(key, buffer, out length) ? length : 0;
        }

        private static int Rewrite(IStore store, string key, byte[] buffer, int length)
        {
            if (length <= 0)
            {
                return 0;
            }

            try
            {
                store.Write(key, buffer, length);
                return 1;
            }
            catch (System.Exception)
            {
                // A failed flash write must not stop the boot (the modules read the old format).
                return 0;
            }
        }
    }
}
