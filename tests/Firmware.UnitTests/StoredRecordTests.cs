using IndraSmartPro.ControlPilot;
using IndraSmartPro.Firmware;
using IndraSmartPro.Metering;
using IndraSmartPro.Persistence;
using IndraSmartPro.Pests;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    /// <summary>
    /// The one record codec and the records built on it: check values from the CRC catalogue,
    /// frames that fail whole, the store key rule, and the records of earlier firmware (read,
    /// upgraded once, and a damaged one still failing safe).
    /// </summary>
    [TestClass]
    public class StoredRecordTests
    {
        [TestMethod]
        public void Crc32_StandardCheckString_ReturnsCbf43926()
        {
            // CRC-32/ISO-HDLC catalogue check value: CRC of ASCII "123456789" is 0xCBF43926.
            byte[] data = new byte[] { 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39 };
            Assert.AreEqual(0xCBF43926u, Crc.Crc32(data, 0, data.Length));
        }

        [TestMethod]
        public void Crc16CcittFalse_StandardCheckString_Returns29B1()
        {
            byte[] data = new byte[] { 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39 };
            Assert.AreEqual(0x29B1, Crc.Crc16CcittFalse(data, data.Length));
        }

        [TestMethod]
        public void LittleEndian_Int64_LowByteFirstAndRoundTrips()
        {
            var buffer = new byte[8];
            LittleEndian.WriteInt64(buffer, 0, -2L);
            Assert.AreEqual(0xFE, (int)buffer[0]);
            Assert.AreEqual(0xFF, (int)buffer[7]);
            Assert.AreEqual(-2L, LittleEndian.ReadInt64(buffer, 0));
            LittleEndian.WriteInt64(buffer, 0, 0x0102030405060708L);
            Assert.AreEqual(0x08, (int)buffer[0]);
            Assert.AreEqual(0x01, (int)buffer[7]);
            Assert.AreEqual(0x0102030405060708L, LittleEndian.ReadInt64(buffer, 0));
        }

        [TestMethod]
        public void RecordWriterReader_Fields_RoundTripInOrder()
        {
            var buffer = new byte[64];
            var writer = new RecordWriter();
            writer.Begin(buffer, 3, RecordKinds.Test, 7);
            writer.WriteByte(200);
            writer.WriteUInt16(65000);
            writer.WriteInt32(-123456);
            writer.WriteInt64(1234567890123L);
            int length = writer.Finish();
            Assert.AreEqual(RecordCodec.OverheadBytes + 15, length);

            var reader = new RecordReader();
            Assert.IsTrue(reader.TryOpen(buffer, 3, length));
            Assert.AreEqual(RecordKinds.Test, reader.Kind);
            Assert.AreEqual(7, reader.Version);
            Assert.AreEqual(200, reader.ReadByte());
            Assert.AreEqual(65000, reader.ReadUInt16());
            Assert.AreEqual(-123456, reader.ReadInt32());
            Assert.AreEqual(1234567890123L, reader.ReadInt64());
            Assert.IsFalse(reader.Overrun);
            Assert.AreEqual(0, reader.ReadInt32());
            Assert.IsTrue(reader.Overrun);
        }

        [TestMethod]
        public void RecordCodec_AnySingleBitFlippedOrTruncated_Rejected()
        {
            var buffer = new byte[32];
            var writer = new RecordWriter();
            var reader = new RecordReader();
            for (int bit = 0; bit < (RecordCodec.OverheadBytes + 8) * 8; bit++)
            {
                writer.Begin(buffer, 0, RecordKinds.Test, 1);
                writer.WriteInt64(0x1122334455667788L);
                int length = writer.Finish();
                buffer[bit / 8] ^= (byte)(1 << (bit % 8));
                Assert.IsFalse(reader.TryOpen(buffer, 0, length), "bit " + bit.ToString());
            }

            writer.Begin(buffer, 0, RecordKinds.Test, 1);
            writer.WriteInt64(1);
            int whole = writer.Finish();
            for (int available = 0; available < whole; available++)
            {
                Assert.IsFalse(reader.TryOpen(buffer, 0, available), "available " + available.ToString());
            }

            Assert.IsTrue(reader.TryOpen(buffer, 0, whole));
        }

        [TestMethod]
        [DataRow("pest-latch")]
        [DataRow("pest-latch-2")]
        [DataRow("energy")]
        [DataRow("calibration")]
        [DataRow("mqtt")]
        [DataRow("mqtt-ca")]
        [DataRow("history_7")]
        public void StoreKeys_KeysInUse_AreValid(string key)
        {
            Assert.IsTrue(StoreKeys.IsValid(key));
        }

        [TestMethod]
        [DataRow("")]
        [DataRow("metering.calibration")]
        [DataRow("a.rec")]
        [DataRow("..")]
        [DataRow("a/b")]
        [DataRow("a\\b")]
        [DataRow("Energy")]
        [DataRow("a-key-of-twenty-five-ch_x")]
        public void StoreKeys_OtherKeys_AreInvalid(string key)
        {
            Assert.IsFalse(StoreKeys.IsValid(key));
        }

        [TestMethod]
        public void MemoryStore_KeyTheFlashStoreRefuses_ThrowsToo()
        {
            // Regression: the calibration key "metering.calibration" passed the memory store but
            // made the device's flash store throw while the firmware was built, so a unit never booted.
            var store = new MemoryStore();
            var data = new byte[] { 1 };
            Assert.ThrowsException(typeof(System.ArgumentException), () => store.Write("metering.calibration", data, 1));
            int length;
            Assert.ThrowsException(typeof(System.ArgumentException), () => store.TryRead("metering.calibration", data, out length));
        }

        [TestMethod]
        public void FirmwareKeys_AllFollowTheStoreKeyRule()
        {
            Assert.IsTrue(StoreKeys.IsValid(LatchRecord.Key));
            Assert.IsTrue(StoreKeys.IsValid(LatchRecord.SecondKey));
            Assert.IsTrue(StoreKeys.IsValid(CalibrationRecord.StoreKey));
            Assert.IsTrue(StoreKeys.IsValid(EnergyMeter.StoreKey));
            Assert.IsTrue(StoreKeys.IsValid(IndraSmartPro.Telemetry.MqttCommissioning.SettingsKey));
            Assert.IsTrue(StoreKeys.IsValid(IndraSmartPro.Telemetry.MqttCommissioning.CaCertificateKey));
        }

        /// <summary>The 12-byte version 1 latch record of earlier firmware, built from its documented layout.</summary>
        private static byte[] LegacyLatch(bool latched, int cause, int mask, int count)
        {
            var buffer = new byte[64];
            buffer[0] = 0x4C;
            buffer[1] = 1;
            buffer[2] = latched ? (byte)1 : (byte)0;
            buffer[3] = (byte)cause;
            LittleEndian.WriteUInt16(buffer, 4, mask);
            LittleEndian.WriteInt32(buffer, 6, count);
            LittleEndian.WriteUInt16(buffer, 10, Crc.Crc16CcittFalse(buffer, 10));
            return buffer;
        }

        [TestMethod]
        public void LatchRecord_VersionOneBytes_DecodeAndUpgradeOnce()
        {
            byte[] buffer = LegacyLatch(true, TripCauses.RdcDd, TripCauses.Bit(TripCauses.RdcDd), 9);
            bool latched;
            int cause;
            int mask;
            int count;
            Assert.IsTrue(LatchRecord.TryDecode(buffer, 12, out latched, out cause, out mask, out count));
            Assert.IsTrue(latched);
            Assert.AreEqual(TripCauses.RdcDd, cause);
            Assert.AreEqual(9, count);

            int length = LatchRecord.Upgrade(buffer, 12);
            Assert.AreEqual(LatchRecord.Length, length);
            Assert.AreEqual((int)RecordCodec.Magic, (int)buffer[0]);
            Assert.IsTrue(LatchRecord.TryDecode(buffer, length, out latched, out cause, out mask, out count));
            Assert.IsTrue(latched);
            Assert.AreEqual(TripCauses.Bit(TripCauses.RdcDd), mask);
            Assert.AreEqual(9, count);
            Assert.AreEqual(0, LatchRecord.Upgrade(buffer, length));
        }

        [TestMethod]
        public void LatchRecord_VersionOneWithBadCrc_RejectedAndNotUpgraded()
        {
            // Corrupt but plausible: an unlatched record whose CRC no longer matches.
            byte[] buffer = LegacyLatch(false, TripCauses.None, 0, 3);
            buffer[7] ^= 0x01;
            bool latched;
            int cause;
            int mask;
            int count;
            Assert.IsFalse(LatchRecord.TryDecode(buffer, 12, out latched, out cause, out mask, out count));
            Assert.AreEqual(0, LatchRecord.Upgrade(buffer, 12));
            Assert.AreEqual(0x4C, (int)buffer[0]);
        }

        [TestMethod]
        public void PestProtection_CorruptVersionOneLatch_FailsSafeAsLatchedAfterMigration()
        {
            var store = new MemoryStore();
            byte[] good = LegacyLatch(false, TripCauses.None, 0, 3);
            store.Write(LatchRecord.SecondKey, good, 12);
            byte[] bad = LegacyLatch(false, TripCauses.None, 0, 3);
            bad[6] ^= 0x10;
            store.Write(LatchRecord.Key, bad, 12);

            Assert.AreEqual(1, StoredRecordMigration.Run(store));
            var rig = new PestRig(PestMode.AWithElectrode, store);
            Assert.IsTrue(rig.Protection.Latched);
            Assert.AreEqual("latch-record-corrupt", rig.Protection.CauseCode);
        }

        [TestMethod]
        public void PestProtection_VersionOneLatchedRecord_StaysLatchedAfterMigration()
        {
            var store = new MemoryStore();
            byte[] record = LegacyLatch(true, TripCauses.ElectrodeOpen, TripCauses.Bit(TripCauses.ElectrodeOpen), 2);
            store.Write(LatchRecord.Key, record, 12);
            store.Write(LatchRecord.SecondKey, record, 12);

            Assert.AreEqual(2, StoredRecordMigration.Run(store));
            Assert.AreEqual(0, StoredRecordMigration.Run(store));
            var buffer = new byte[64];
            int length;
            Assert.IsTrue(store.TryRead(LatchRecord.Key, buffer, out length));
            Assert.AreEqual(LatchRecord.Length, length);
            var rig = new PestRig(PestMode.AWithElectrode, store);
            Assert.AreEqual("electrode-open", rig.Protection.CauseCode);
            Assert.AreEqual(2, rig.Protection.TripCount);
        }

        [TestMethod]
        public void EnergyRecord_FortyByteRecordOfEarlierFirmware_ReadAndUpgradedOnce()
        {
            var store = new MemoryStore();
            var old = new byte[40];
            LittleEndian.WriteInt64(old, 0, 123456);
            LittleEndian.WriteInt64(old, 8, 5000);
            LittleEndian.WriteInt64(old, 16, 42);
            LittleEndian.WriteInt64(old, 24, 17);
            LittleEndian.WriteInt64(old, 32, 1);
            store.Write(EnergyMeter.StoreKey, old, old.Length);

            Assert.AreEqual(1, StoredRecordMigration.Run(store));
            Assert.AreEqual(0, StoredRecordMigration.Run(store));
            var buffer = new byte[64];
            int length;
            Assert.IsTrue(store.TryRead(EnergyMeter.StoreKey, buffer, out length));
            Assert.AreEqual(EnergyRecord.Length, length);

            long lifetime;
            long remainder;
            int sessions;
            long session;
            bool open;
            Assert.IsTrue(EnergyRecord.TryDecode(buffer, length, out lifetime, out remainder, out sessions, out session, out open));
            Assert.AreEqual(123456L, lifetime);
            Assert.AreEqual(5000L, remainder);
            Assert.AreEqual(42, sessions);
            Assert.AreEqual(17L, session);
            Assert.IsTrue(open);
        }

        [TestMethod]
        public void EnergyRecord_CorruptButPlausible_Rejected()
        {
            // Before the codec, any 40 bytes with sane-looking numbers were accepted. Now a changed
            // lifetime figure (still a plausible number) fails the CRC and counting starts from zero.
            var buffer = new byte[64];
            int length = EnergyRecord.Encode(buffer, 1000, 0, 5, 0, false);
            buffer[RecordCodec.HeaderBytes + 1] ^= 0x01;
            long lifetime;
            long remainder;
            int sessions;
            long session;
            bool open;
            Assert.IsFalse(EnergyRecord.TryDecode(buffer, length, out lifetime, out remainder, out sessions, out session, out open));
            Assert.AreEqual(0L, lifetime);
        }

        [TestMethod]
        public void StoredRecordMigration_CurrentAndMissingRecords_WritesNothing()
        {
            var store = new MemoryStore();
            var buffer = new byte[64];
            int length = EnergyRecord.Encode(buffer, 10, 0, 1, 0, false);
            store.Write(EnergyMeter.StoreKey, buffer, length);
            int writes = store.WriteCount;
            Assert.AreEqual(0, StoredRecordMigration.Run(store));
            Assert.AreEqual(writes, store.WriteCount);
        }
    }
}
