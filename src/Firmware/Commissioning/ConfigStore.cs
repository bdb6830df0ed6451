using System.Text;
using IndraSmartPro.Firmware;
using IndraSmartPro.Persistence;

namespace IndraSmartPro.Commissioning
{
    /// <summary>
    /// Keeps the configuration in the store as one <see cref="RecordCodec"/> record, in two slots
    /// written in turn, each with a sequence number: a load takes the newer slot that is intact and
    /// valid. So a power cut (or a torn write on any store) while a new configuration is written
    /// leaves the previous one in force, never a mixture; and only a configuration that passed
    /// <see cref="ConfigSettings.Validate"/> is ever written or used.
    /// <para>
    /// Payload (version 1, little-endian): sequence (32 bits), row count (16 bits), then each row of
    /// <see cref="ConfigSettings.All"/> in order: numeric rows as 32 bits, text rows as a 16-bit
    /// length and UTF-8. Rows are only appended, so a newer firmware reads an older record (the rows
    /// it lacks keep their defaults) without a version change.
    /// </para>
    /// </summary>
    public static class ConfigStore
    {
        /// <summary>Store key of the first slot.</summary>
        public const string SlotAKey = "config-a";

        /// <summary>Store key of the second slot.</summary>
        public const string SlotBKey = "config-b";

        /// <summary>Store key of the broker's CA bundle (PEM), kept apart because of its size; the MQTT commissioning record uses the same key.</summary>
        public const string CaKey = "mqtt-ca";

        /// <summary>Payload layout version.</summary>
        public const int Version = 1;

        /// <summary>Largest record, bytes (every text row at its longest fits).</summary>
        public const int MaxRecordBytes = 1536;

        /// <summary>Largest CA bundle, bytes.</summary>
        public const int MaxCaBytes = 4096;

        /// <summary>
        /// The stored configuration, or when none is stored (or none intact and valid) a
        /// configuration with <see cref="ChargerConfig.Commissioned"/> false: the unit then never
        /// closes a relay. Allocates: call at start-up and from the commissioning protocol.
        /// </summary>
        public static ChargerConfig Load(IStore store)
        {
            int sequence;
            string key;
            ChargerConfig config = LoadNewest(store, out sequence, out key);
            if (config == null)
            {
                config = new ChargerConfig();
                config.Commissioned = false;

                // Until an installer says otherwise, protect with the mode that needs nothing
                // fitted (mode A without electrode, L-N only): no boot trip on a site without a rod.
                config.ReferenceElectrodeFitted = false;
            }

            return config;
        }

        /// <summary>
        /// Validates <paramref name="config"/> as a whole and stores it in the older slot. Returns
        /// null when stored, or the refusal naming the setting and the allowed values (nothing is
        /// written then).
        /// </summary>
        public static string Save(IStore store, ChargerConfig config)
        {
            string problem = ConfigSettings.Validate(config);
            if (problem != null)
            {
                return problem;
            }

            int sequence;
            string newestKey;
            ChargerConfig current = LoadNewest(store, out sequence, out newestKey);
            string key = current != null && newestKey == SlotAKey ? SlotBKey : SlotAKey;
            byte[] buffer = new byte[MaxRecordBytes];
            int length = Encode(config, current != null ? sequence + 1 : 1, buffer);
            store.Write(key, buffer, length);
            return null;
        }

        /// <summary>Encodes the configuration as one record into <paramref name="buffer"/>; returns its length, bytes.</summary>
        public static int Encode(ChargerConfig config, int sequence, byte[] buffer)
        {
            var writer = new RecordWriter();
            writer.Begin(buffer, 0, RecordKinds.Config, Version);
            writer.WriteInt32(sequence);
            writer.WriteUInt16(ConfigSettings.All.Length);
            for (int row = 0; row < ConfigSettings.All.Length; row++)
            {
                if (ConfigSettings.IsNumeric(row))
                {
                    writer.WriteInt32((int)ConfigSettings.GetNumber(config, row));
                }
                else
                {
                    byte[] text = Encoding.UTF8.GetBytes(ConfigSettings.GetText(config, row));
                    writer.WriteUInt16(text.Length);
                    writer.WriteBytes(text, 0, text.Length);
                }
            }

            return writer.Finish();
        }

        /// <summary>
        /// Decodes a record: the configuration, or null when the bytes are not an intact record of
        /// this kind or a value is out of range (a damaged record is never used).
        /// </summary>
        public static ChargerConfig Decode(byte[] buffer, int length, out int sequence)
        {
            sequence = 0;
            var reader = new RecordReader();
            if (!reader.TryOpen(buffer, 0, length) || reader.Kind != RecordKinds.Config || reader.Version != Version)
            {
                return null;
            }

            sequence = reader.ReadInt32();
            int rows = reader.ReadUInt16();
            var config = new ChargerConfig();
            for (int row = 0; row < rows && row < ConfigSettings.All.Length; row++)
            {
                if (ConfigSettings.IsNumeric(row))
                {
                    long value = reader.ReadInt32();
                    if (ConfigSettings.CheckNumber(row, value) != null)
                    {
                        return null;
                    }

                    ConfigSettings.SetNumber(config, row, value);
                }
                else
                {
                    int textLength = reader.ReadUInt16();
                    if (textLength > reader.Remaining)
                    {
                        return null;
                    }

                    byte[] text = new byte[textLength];
                    for (int i = 0; i < textLength; i++)
                    {
                        text[i] = (byte)reader.ReadByte();
                    }

                    string value = Encoding.UTF8.GetString(text, 0, textLength);
                    ConfigSettings.SetText(config, row, value);
                }
            }

            if (reader.Overrun)
            {
                return null;
            }

            return ConfigSettings.Validate(config) == null ? config : null;
        }

        /// <summary>
        /// Stores the broker's CA bundle. Null when stored; otherwise the refusal.
        /// </summary>
        public static string SaveCa(IStore store, byte[] pem, int length)
        {
            const string begin = "-----BEGIN CERTIFICATE-----";
            if (length <= begin.Length || length > MaxCaBytes)
            {
                return "caBundle: " + length.ToString() + " bytes is out of range; allowed one or more PEM certificates, at most 4096 bytes";
            }

            string head = Encoding.UTF8.GetString(pem, 0, begin.Length);
            if (head != begin)
            {
                return "caBundle: not a PEM certificate; allowed text starting -----BEGIN CERTIFICATE-----";
            }

            store.Write(CaKey, pem, length);
            return null;
        }

        /// <summary>True when a CA bundle is stored.</summary>
        public static bool HasCa(IStore store)
        {
            byte[] buffer = new byte[MaxCaBytes];
            int length;
            return store.TryRead(CaKey, buffer, out length) && length > 0;
        }

        private static ChargerConfig LoadNewest(IStore store, out int sequence, out string key)
        {
            byte[] buffer = new byte[MaxRecordBytes];
            ChargerConfig best = null;
            sequence = 0;
            key = null;
            for (int slot = 0; slot < 2; slot++)
            {
                string slotKey = slot == 0 ? SlotAKey : SlotBKey;
                int length;
                if (!store.TryRead(slotKey, buffer, out length))
                {
                    continue;
                }

                int slotSequence;
                ChargerConfig config = Decode(buffer, length, out slotSequence);
                if (config != null && (best == null || slotSequence > sequence))
                {
                    best = config;
                    sequence = slotSequence;
                    key = slotKey;
                }
            }

            return best;
        }
    }
}
