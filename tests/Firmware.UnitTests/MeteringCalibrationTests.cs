using IndraSmartPro.Board;
using IndraSmartPro.Metering;
using IndraSmartPro.Persistence;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    [TestClass]
    public class MeteringCalibrationTests
    {
        private sealed class NoInputs : IAnalogInputs
        {
            public int ReadPinMillivolts(AnalogChannel channel)
            {
                return 1650;
            }
        }

        private static ChannelCalibration[] NewSet()
        {
            var set = new ChannelCalibration[MainsMeter.MeteredChannelCount];
            for (int i = 0; i < set.Length; i++)
            {
                set[i] = new ChannelCalibration();
            }

            return set;
        }

        private static byte[] ValidRecord()
        {
            ChannelCalibration[] set = NewSet();
            Assert.IsTrue(set[0].TrySet(1012345, -250));
            Assert.IsTrue(set[2].TrySet(987654, 4999));
            Assert.IsTrue(set[4].TrySet(1100000, -5000));
            var buffer = new byte[CalibrationRecord.Length];
            CalibrationRecord.Format(set, buffer);
            return buffer;
        }

        [TestMethod]
        public void Crc16_StandardCheckString_Returns29B1()
        {
            byte[] data = new byte[] { 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39 };
            Assert.AreEqual(0x29B1, Crc.Crc16CcittFalse(data, data.Length));
        }

        [TestMethod]
        public void CalibrationRecord_FormatThenParse_RoundTripsEveryChannel()
        {
            byte[] buffer = ValidRecord();
            ChannelCalibration[] read = NewSet();

            Assert.AreEqual((int)CalibrationRecordStatus.Loaded, (int)CalibrationRecord.Parse(buffer, CalibrationRecord.Length, read));
            Assert.AreEqual(1012345, read[0].GainPartsPerMillion);
            Assert.AreEqual(-250, read[0].OffsetMilliUnits);
            Assert.AreEqual(1000000, read[1].GainPartsPerMillion);
            Assert.AreEqual(987654, read[2].GainPartsPerMillion);
            Assert.AreEqual(4999, read[2].OffsetMilliUnits);
            Assert.AreEqual(1100000, read[4].GainPartsPerMillion);
            Assert.AreEqual(-5000, read[4].OffsetMilliUnits);
        }

        [TestMethod]
        public void CalibrationRecord_Layout_IsCodecFrameVersionTwoFiftyBytes()
        {
            byte[] buffer = ValidRecord();
            Assert.AreEqual(50, CalibrationRecord.Length);
            Assert.AreEqual(0xA7, (int)buffer[0]); // codec magic
            Assert.AreEqual(2, (int)buffer[1]);    // kind: calibration
            Assert.AreEqual(2, (int)buffer[2]);    // version 2
            Assert.AreEqual(41, (int)buffer[3]);   // payload length, LE
            Assert.AreEqual(0, (int)buffer[4]);
            Assert.AreEqual(5, (int)buffer[5]);    // channel count

            // Channel 0 gain 1 012 345 = 0x000F7279, little-endian at offset 6.
            Assert.AreEqual(0x79, (int)buffer[6]);
            Assert.AreEqual(0x72, (int)buffer[7]);
            Assert.AreEqual(0x0F, (int)buffer[8]);
            Assert.AreEqual(0x00, (int)buffer[9]);
        }

        /// <summary>The 46-byte version 1 record of earlier firmware, built by hand from its documented layout.</summary>
        private static byte[] LegacyRecord()
        {
            var buffer = new byte[64];
            buffer[0] = 0x4D;
            buffer[1] = 0x43;
            buffer[2] = 1;
            buffer[3] = 5;
            for (int i = 0; i < 5; i++)
            {
                LittleEndian.WriteInt32(buffer, 4 + (i * 8), 1000000);
                LittleEndian.WriteInt32(buffer, 8 + (i * 8), 0);
            }

            LittleEndian.WriteInt32(buffer, 4, 1012345);
            LittleEndian.WriteInt32(buffer, 8, -250);
            int crc = Crc.Crc16CcittFalse(buffer, 44);
            buffer[44] = (byte)crc;
            buffer[45] = (byte)(crc >> 8);
            return buffer;
        }

        [TestMethod]
        public void CalibrationRecord_VersionOneBytes_AreReadAndUpgraded()
        {
            byte[] buffer = LegacyRecord();
            ChannelCalibration[] read = NewSet();
            Assert.AreEqual((int)CalibrationRecordStatus.Loaded, (int)CalibrationRecord.Parse(buffer, 46, read));
            Assert.AreEqual(1012345, read[0].GainPartsPerMillion);
            Assert.AreEqual(-250, read[0].OffsetMilliUnits);

            int length = CalibrationRecord.Upgrade(buffer, 46);
            Assert.AreEqual(CalibrationRecord.Length, length);
            Assert.AreEqual(0xA7, (int)buffer[0]);
            ChannelCalibration[] upgraded = NewSet();
            Assert.AreEqual((int)CalibrationRecordStatus.Loaded, (int)CalibrationRecord.Parse(buffer, length, upgraded));
            Assert.AreEqual(1012345, upgraded[0].GainPartsPerMillion);
            Assert.AreEqual(-250, upgraded[0].OffsetMilliUnits);
            Assert.AreEqual(1000000, upgraded[4].GainPartsPerMillion);

            // Idempotent: a current record is not upgraded again.
            Assert.AreEqual(0, CalibrationRecord.Upgrade(buffer, length));
        }

        [TestMethod]
        public void CalibrationRecord_VersionOneWithBadCrc_IsCorruptAndNotUpgraded()
        {
            byte[] buffer = LegacyRecord();
            buffer[20] ^= 0x01;
            Assert.AreEqual((int)CalibrationRecordStatus.Corrupt, (int)CalibrationRecord.Parse(buffer, 46, NewSet()));
            Assert.AreEqual(0, CalibrationRecord.Upgrade(buffer, 46));
            Assert.AreEqual(0x4D, (int)buffer[0]);
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(2)]
        [DataRow(3)]
        [DataRow(10)]
        [DataRow(44)]
        [DataRow(45)]
        [DataRow(49)]
        public void CalibrationRecord_AnyByteFlipped_IsCorruptAndChangesNothing(int index)
        {
            byte[] buffer = ValidRecord();
            buffer[index] ^= 0x04;
            ChannelCalibration[] read = NewSet();

            Assert.AreEqual((int)CalibrationRecordStatus.Corrupt, (int)CalibrationRecord.Parse(buffer, CalibrationRecord.Length, read));
            Assert.AreEqual(1000000, read[0].GainPartsPerMillion);
            Assert.AreEqual(0, read[0].OffsetMilliUnits);
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(46)]
        [DataRow(49)]
        [DataRow(51)]
        public void CalibrationRecord_WrongLength_IsCorrupt(int length)
        {
            byte[] buffer = new byte[64];
            byte[] valid = ValidRecord();
            for (int i = 0; i < valid.Length; i++)
            {
                buffer[i] = valid[i];
            }

            Assert.AreEqual((int)CalibrationRecordStatus.Corrupt, (int)CalibrationRecord.Parse(buffer, length, NewSet()));
        }

        [TestMethod]
        public void CalibrationRecord_NewerVersion_IsCorrupt()
        {
            byte[] buffer = ValidRecord();
            buffer[2] = 3;
            RecordCodec.Seal(buffer, 0, CalibrationRecord.PayloadLength);

            Assert.AreEqual((int)CalibrationRecordStatus.Corrupt, (int)CalibrationRecord.Parse(buffer, CalibrationRecord.Length, NewSet()));
        }

        [TestMethod]
        public void CalibrationRecord_IntactButGainOutOfRange_IsOutOfRangeAndChangesNothing()
        {
            byte[] buffer = ValidRecord();

            // Channel 1 gain := 1 100 001 ppm (0x0010C8E1) at offset 14, then a correct CRC.
            buffer[14] = 0xE1;
            buffer[15] = 0xC8;
            buffer[16] = 0x10;
            buffer[17] = 0x00;
            RecordCodec.Seal(buffer, 0, CalibrationRecord.PayloadLength);
            ChannelCalibration[] read = NewSet();

            Assert.AreEqual((int)CalibrationRecordStatus.OutOfRange, (int)CalibrationRecord.Parse(buffer, CalibrationRecord.Length, read));
            Assert.AreEqual(1000000, read[0].GainPartsPerMillion);
        }

        [TestMethod]
        [DataRow(900000, 0, true)]
        [DataRow(899999, 0, false)]
        [DataRow(1100000, 0, true)]
        [DataRow(1100001, 0, false)]
        [DataRow(1000000, 5000, true)]
        [DataRow(1000000, -5000, true)]
        [DataRow(1000000, 5001, false)]
        [DataRow(1000000, -5001, false)]
        [DataRow(0, 0, false)]
        public void ChannelCalibration_IsValid_AcceptsGainWithinTenPercentAndSmallOffset(int gain, int offset, bool expected)
        {
            Assert.AreEqual(expected, ChannelCalibration.IsValid(gain, offset));
        }

        [TestMethod]
        public void ChannelCalibration_TrySetInvalid_KeepsPreviousValues()
        {
            var calibration = new ChannelCalibration();
            Assert.IsTrue(calibration.TrySet(1020000, 100));
            Assert.IsFalse(calibration.TrySet(1200000, 0));
            Assert.AreEqual(1020000, calibration.GainPartsPerMillion);
            Assert.AreEqual(100, calibration.OffsetMilliUnits);
        }

        [TestMethod]
        [DataRow(1000000, 101000, 100000, 990099)]
        [DataRow(1000000, 99000, 100000, 1010101)]
        [DataRow(1010000, 232300, 230000, 1000000)]
        [DataRow(1000000, 0, 230000, 0)]
        public void ChannelCalibration_GainForReference_ScalesGainByReferenceOverMeasured(int current, int measured, int reference, int expected)
        {
            Assert.AreEqual(expected, ChannelCalibration.GainForReference(current, measured, reference));
        }

        [TestMethod]
        public void MainsMeter_LoadCalibrationFromEmptyStore_IsMissingWithIdentity()
        {
            var meter = new MainsMeter(new NoInputs());
            Assert.AreEqual((int)CalibrationRecordStatus.Missing, (int)meter.LoadCalibration(new MemoryStore()));
            Assert.AreEqual(1000000, meter.GetCalibration(AnalogChannel.LineNeutral).GainPartsPerMillion);
        }

        [TestMethod]
        public void MainsMeter_SaveThenLoadInNewMeter_RestoresCalibration()
        {
            var store = new MemoryStore();
            var meter = new MainsMeter(new NoInputs());
            Assert.IsTrue(meter.TrySetCalibration(AnalogChannel.CpcTtRef, 1030000, -120));
            meter.SaveCalibration(store);

            var rebooted = new MainsMeter(new NoInputs());
            Assert.AreEqual((int)CalibrationRecordStatus.Loaded, (int)rebooted.LoadCalibration(store));
            Assert.AreEqual(1030000, rebooted.GetCalibration(AnalogChannel.CpcTtRef).GainPartsPerMillion);
            Assert.AreEqual(-120, rebooted.GetCalibration(AnalogChannel.CpcTtRef).OffsetMilliUnits);
            Assert.AreEqual(1, store.WriteCount);
        }

        [TestMethod]
        public void MainsMeter_LoadCorruptRecord_FallsBackToIdentity()
        {
            var store = new MemoryStore();
            var meter = new MainsMeter(new NoInputs());
            Assert.IsTrue(meter.TrySetCalibration(AnalogChannel.LineNeutral, 1050000, 0));
            byte[] bad = ValidRecord();
            bad[20] ^= 0xFF;
            store.Write(CalibrationRecord.StoreKey, bad, bad.Length);

            Assert.AreEqual((int)CalibrationRecordStatus.Corrupt, (int)meter.LoadCalibration(store));
            Assert.AreEqual(1000000, meter.GetCalibration(AnalogChannel.LineNeutral).GainPartsPerMillion);
        }

        [TestMethod]
        public void MainsMeter_TrySetCalibrationOutOfRange_ReturnsFalse()
        {
            var meter = new MainsMeter(new NoInputs());
            Assert.IsFalse(meter.TrySetCalibration(AnalogChannel.EvCurrent, 850000, 0));
            Assert.IsFalse(meter.TrySetCalibration(AnalogChannel.PilotFeedback, 1000000, 0));
            Assert.AreEqual(1000000, meter.GetCalibration(AnalogChannel.EvCurrent).GainPartsPerMillion);
        }
    }
}
