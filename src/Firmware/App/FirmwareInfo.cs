namespace IndraSmartPro.Firmware
{
    /// <summary>Identity of this firmware build.</summary>
    public static class FirmwareInfo
    {
        /// <summary>Semantic version, published at boot and in the status.</summary>
        public const string Version = "0.1.0";
    }
}
