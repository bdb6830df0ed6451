namespace IndraSmartPro.Board
{
    /// <summary>The integral 6 mA DC residual current detecting device (IEC 62955 RDC-DD).</summary>
    public interface IRcdMonitor
    {
        /// <summary>True while the module signals a DC residual current of 6 mA or more, or its own fault.</summary>
        bool ReadFault();

        /// <summary>Drives the module's test input; a healthy module raises its fault output while the test is on.</summary>
        void SetTest(bool on);
    }
}
