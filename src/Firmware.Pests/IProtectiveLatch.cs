namespace IndraSmartPro.Pests
{
    /// <summary>Where a monitor reports a latching cause; <see cref="PestProtection"/> acts on it in the same call.</summary>
    public interface IProtectiveLatch
    {
        /// <summary>Acts on and latches <paramref name="cause"/> (<see cref="TripCauses"/>) now; a cause already latched is ignored.</summary>
        void Latch(long nowMicroseconds, int cause);
    }
}
