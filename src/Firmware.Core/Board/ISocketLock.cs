namespace IndraSmartPro.Board
{
    /// <summary>The Type 2 socket's lock actuator (socket variant only; tethered boards report unlocked).</summary>
    public interface ISocketLock
    {
        /// <summary>Drives the actuator towards locked (true) or unlocked (false).</summary>
        void SetLockDrive(bool locked);

        /// <summary>The actuator's feedback switch: true when the pin is engaged.</summary>
        bool ReadLocked();
    }
}
