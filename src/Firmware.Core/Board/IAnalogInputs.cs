namespace IndraSmartPro.Board
{
    /// <summary>
    /// The board's analogue front end. The binding converts ADC counts to millivolts at the ADC
    /// pin (0..3300 mV) and does nothing else: bias removal, scaling to line volts and amps, and
    /// calibration are the metering's job, so they are the same on the device and the simulator.
    /// </summary>
    public interface IAnalogInputs
    {
        /// <summary>
        /// Converts the channel once, now, and returns the voltage at the ADC pin in millivolts
        /// (0..3300). Must not block for longer than one conversion (tens of microseconds).
        /// </summary>
        int ReadPinMillivolts(AnalogChannel channel);
    }
}
