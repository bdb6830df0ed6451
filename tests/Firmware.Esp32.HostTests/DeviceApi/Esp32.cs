using IndraSmartPro.Esp32.HostTests.DeviceApi;

// Stand-ins of nanoFramework.Hardware.Esp32 1.6 and nanoFramework.Runtime.Native 1.7 (the members
// the device code uses, same signatures).
namespace nanoFramework.Hardware.Esp32
{
    /// <summary>Pin functions of the ESP32 GPIO matrix (names as on the device; the numeric values are this stand-in's own).</summary>
    public enum DeviceFunction
    {
        PWM1 = 0x10000,
        PWM2,
        PWM3,
        PWM4,
        PWM5,
        PWM6,
        PWM7,
        PWM8,
    }

    public static class Configuration
    {
        public static void SetPinFunction(int gpioNumber, DeviceFunction function) => FakeChip.PinFunctions[gpioNumber] = (int)function;

        public static int GetFunctionPin(DeviceFunction function)
        {
            foreach (var pair in FakeChip.PinFunctions)
            {
                if (pair.Value == (int)function)
                {
                    return pair.Key;
                }
            }

            return -1;
        }
    }

    public class HighResTimer
    {
        /// <summary>The esp_timer: microseconds since boot.</summary>
        public static ulong GetCurrent() => FakeChip.NowMicroseconds;
    }
}

namespace nanoFramework.Runtime.Native
{
    public static class Power
    {
        /// <summary>Reboots the device (here: counts the request and returns).</summary>
        public static void RebootDevice() => FakeChip.Reboots++;
    }
}
