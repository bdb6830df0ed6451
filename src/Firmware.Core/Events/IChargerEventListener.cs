namespace IndraSmartPro.Events
{
    /// <summary>Receives events synchronously, on the scheduler's thread. Must be quick and must not publish.</summary>
    public interface IChargerEventListener
    {
        /// <summary>Called once per event; see <see cref="ChargerEvent"/> for the reuse rule.</summary>
        void OnEvent(ChargerEvent e);
    }
}
