namespace IndraSmartPro.Board
{
    /// <summary>
    /// Everything the firmware needs from the control board, in the charger's terms. The ESP32
    /// binding (src/Firmware.Esp32) and the simulator's virtual board implement it; the
    /// firmware cannot tell them apart. Modules take only the narrow interfaces they use.
    /// At construction every implementation is in the safe state: relays open, pilot at −12 V.
    /// </summary>
    public interface IBoard : IMicrosecondClock, IAnalogInputs, IPilotOutput, IRelayDrive, IWeldSense, IRcdMonitor,
        IOperatorInputs, ISocketLock, IIndicators, IUtcSource, IHardwareRandom
    {
    }
}
