namespace IndraSmartPro.Firmware
{
    /// <summary>The three build variants (installation guide, "Models"), one firmware configured.</summary>
    public enum Variant
    {
        /// <summary>190105A101: SAE J1772 (Type 1) tethered cable.</summary>
        Type1Tethered = 0,
        /// <summary>190105A102: IEC 62196 (Type 2) tethered cable.</summary>
        Type2Tethered = 1,
        /// <summary>190105A103: Type 2 socket with proximity pilot and lock.</summary>
        Type2Socket = 2,
    }
}
