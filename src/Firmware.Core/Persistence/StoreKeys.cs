namespace IndraSmartPro.Persistence
{
    /// <summary>
    /// The one rule for store keys, enforced by every <see cref="IStore"/> (the device's flash store
    /// and the memory store alike, so a host test fails on a key the device would refuse): 1 to
    /// <see cref="MaxLength"/> characters, each a lower-case letter, a digit, '-' or '_'.
    /// <para>
    /// Why so narrow: the device keeps one file per key, "&lt;key&gt;.rec", on the flash file system;
    /// a '.' would collide with the suffixes ("a.rec" + ".tmp"), a '/' or '\' would leave the
    /// directory, and upper case would make two keys one file on a case-insensitive file system.
    /// The length keeps "indra/&lt;key&gt;.tmp" inside short file-name limits.
    /// </para>
    /// </summary>
    public static class StoreKeys
    {
        /// <summary>Longest key, characters.</summary>
        public const int MaxLength = 24;

        /// <summary>True when <paramref name="key"/> follows the rule.</summary>
        public static bool IsValid(string key)
        {
            if (key == null || key.Length == 0 || key.Length > MaxLength)
            {
                return false;
            }

            for (int i = 0; i < key.Length; i++)
            {
                char c = key[i];
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Throws <see cref="System.ArgumentException"/> naming the key when it breaks the rule.</summary>
        public static void Check(string key)
        {
            if (!IsValid(key))
            {
                throw new System.ArgumentException("store key must be 1-24 of a-z 0-9 - _: " + (key == null ? "null" : key));
            }
        }
    }
}
