using IndraSmartPro.Esp32.HostTests.DeviceApi;

// Stand-ins of nanoFramework.System.Device.Gpio 1.1 (the members the binding uses, same signatures).
namespace System.Device.Gpio
{
    /// <summary>Pin modes as nanoFramework's System.Device.Gpio declares them.</summary>
    public enum PinMode
    {
        Input,
        Output,
        InputPullDown,
        InputPullUp,
        OutputOpenDrain,
        OutputOpenDrainPullUp,
        OutputOpenSource,
        OutputOpenSourcePullDown,
    }

    /// <summary>A pin level (nanoFramework: a struct with High and Low).</summary>
    public readonly struct PinValue : IEquatable<PinValue>
    {
        private readonly byte _value;

        private PinValue(byte value) => _value = value;

        public static PinValue High => new PinValue(1);

        public static PinValue Low => new PinValue(0);

        public static implicit operator PinValue(int value) => value == 0 ? Low : High;

        public static implicit operator PinValue(bool value) => value ? High : Low;

        public static explicit operator int(PinValue value) => value._value;

        public static explicit operator bool(PinValue value) => value._value != 0;

        public static bool operator ==(PinValue a, PinValue b) => a.Equals(b);

        public static bool operator !=(PinValue a, PinValue b) => !a.Equals(b);

        public bool Equals(PinValue other) => other._value == _value;

        public override bool Equals(object obj) => obj is PinValue other && Equals(other);

        public override int GetHashCode() => _value;

        public override string ToString() => _value == 0 ? "Low" : "High";
    }

    /// <summary>The GPIO controller; opening a pin twice throws, as on the device.</summary>
    public class GpioController : IDisposable
    {
        public GpioPin OpenPin(int pinNumber, PinMode mode)
        {
            if (FakeChip.PinModes.ContainsKey(pinNumber))
            {
                throw new InvalidOperationException($"GPIO{pinNumber} is already open");
            }

            FakeChip.PinModes[pinNumber] = mode.ToString();
            return new GpioPin(pinNumber, mode);
        }

        public void Dispose()
        {
        }
    }

    /// <summary>One open pin: writes go to <see cref="FakeChip"/>, reads come from it.</summary>
    public class GpioPin : IDisposable
    {
        private readonly PinMode _mode;

        internal GpioPin(int pinNumber, PinMode mode)
        {
            PinNumber = pinNumber;
            _mode = mode;
        }

        public int PinNumber { get; }

        public PinMode GetPinMode() => _mode;

        public void Write(PinValue value)
        {
            if (_mode != PinMode.Output && _mode != PinMode.OutputOpenDrain && _mode != PinMode.OutputOpenDrainPullUp
                && _mode != PinMode.OutputOpenSource && _mode != PinMode.OutputOpenSourcePullDown)
            {
                throw new InvalidOperationException($"GPIO{PinNumber} is an input ({_mode})");
            }

            bool high = value == PinValue.High;
            FakeChip.OutputLevels[PinNumber] = high;
            FakeChip.Writes.Add(new FakeChip.PinWrite(PinNumber, high));
        }

        public PinValue Read()
        {
            if (FakeChip.InputLevels.TryGetValue(PinNumber, out bool high))
            {
                return high ? PinValue.High : PinValue.Low;
            }

            // An open input rests at its pull; an output reads back what was written.
            if (FakeChip.OutputLevels.TryGetValue(PinNumber, out bool written))
            {
                return written ? PinValue.High : PinValue.Low;
            }

            return _mode == PinMode.InputPullUp ? PinValue.High : PinValue.Low;
        }

        public void Dispose()
        {
        }
    }
}
