using System;
using System.Device.Adc;
using System.Device.Gpio;
using System.Device.Pwm;
using nanoFramework.Hardware.Esp32;

namespace IndraSmartPro.Board.Esp32
{
    /// <summary>
    /// The control board on the ESP32: the seam's implementation over nanoFramework's
    /// System.Device.Adc/Gpio/Pwm and the ESP32 high-resolution timer. It converts units at the edge
    /// (ADC counts to pin millivolts, duty permille to the PWM fraction, active levels to booleans)
    /// and holds no charger logic. Pins come from <see cref="PinMap"/>, generated from hw/pinmap.json.
    /// Steady-state calls allocate nothing: every pin and channel is opened once, here.
    /// </summary>
    public sealed class Esp32Board : IBoard
    {
        /// <summary>
        /// ADC full scale at the pin in millivolts. nanoFramework's ESP32 ADC driver uses 11 dB
        /// attenuation; the nominal 0..3300 mV range is refined by the metering's per-channel
        /// calibration (gain and offset), so the non-ideal ESP32 transfer curve is trimmed there.
        /// </summary>
        public const int AdcFullScaleMillivolts = 3300;

        private readonly GpioController _gpio;
        private readonly GpioPin _contactor;
        private readonly GpioPin _earthRelay;
        private readonly GpioPin _rcdTest;
        private readonly GpioPin _lockDrive;
        private readonly GpioPin _muxSelect;
        private readonly GpioPin _ledRed;
        private readonly GpioPin _ledGreen;
        private readonly GpioPin _ledBlue;
        private readonly GpioPin _weldSense;
        private readonly GpioPin _rcdFault;
        private readonly GpioPin _pestToggle;
        private readonly GpioPin _lockFeedback;
        private readonly GpioPin _button;
        private readonly PwmChannel _pilot;
        private readonly AdcController _adc;

        /// <summary>ADC channel per <see cref="AnalogChannel"/> value (the proximity pilot shares the pilot feedback's).</summary>
        private readonly AdcChannel[] _analog = new AdcChannel[AnalogChannels.Count];
        private readonly int _adcMaxCounts;
        private IndicatorState _shown = (IndicatorState)(-1);
        private static readonly DateTime UnixEpoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        private readonly Random _random = new Random();

        /// <summary>
        /// Opens every pin and leaves the board in the safe state before returning: both relays
        /// open, pilot held at −12 V (state F), RDC-DD test off, lock drive towards unlocked.
        /// The hardware holds the same state through reset (pull-downs, see hw/pinmap.json).
        /// </summary>
        public Esp32Board()
        {
            _gpio = new GpioController();

            // Relays first: nothing else may run while they could be closed.
            _contactor = OpenOutput(PinMap.ContactorGpio, PinMap.ContactorActiveHigh);
            _earthRelay = OpenOutput(PinMap.EarthRelayGpio, PinMap.EarthRelayActiveHigh);

            // Pilot: the pin must carry the PWM function before the channel is created on it.
            // Duty 0 = output low all the time = −12 V at the socket (state F, safe).
            Configuration.SetPinFunction(PinMap.PilotPwmGpio, PinMap.PilotPwmFunction);
            _pilot = PwmChannel.CreateFromPin(PinMap.PilotPwmGpio, PinMap.PilotPwmFrequencyHz, 0.0);
            if (_pilot == null)
            {
                throw new InvalidOperationException("no PWM channel on the pilot pin");
            }

            _pilot.Start();
            HoldNegative();

            _rcdTest = OpenOutput(PinMap.RcdTestGpio, PinMap.RcdTestActiveHigh);
            _lockDrive = OpenOutput(PinMap.LockDriveGpio, PinMap.LockDriveActiveHigh);
            _muxSelect = OpenOutput(PinMap.AnalogMuxSelectGpio, PinMap.AnalogMuxSelectActiveHigh);
            _ledRed = OpenOutput(PinMap.LedRedGpio, PinMap.LedRedActiveHigh);
            _ledGreen = OpenOutput(PinMap.LedGreenGpio, PinMap.LedGreenActiveHigh);
            _ledBlue = OpenOutput(PinMap.LedBlueGpio, PinMap.LedBlueActiveHigh);

            _weldSense = _gpio.OpenPin(PinMap.WeldSenseGpio, PinMap.WeldSensePinMode);
            _rcdFault = _gpio.OpenPin(PinMap.RcdFaultGpio, PinMap.RcdFaultPinMode);
            _pestToggle = _gpio.OpenPin(PinMap.PestToggleGpio, PinMap.PestTogglePinMode);
            _lockFeedback = _gpio.OpenPin(PinMap.LockFeedbackGpio, PinMap.LockFeedbackPinMode);
            _button = _gpio.OpenPin(PinMap.ButtonGpio, PinMap.ButtonPinMode);

            _adc = new AdcController();
            _adcMaxCounts = _adc.MaxValue;
            AdcChannel pilotAndProximity = _adc.OpenChannel(PinMap.PilotFeedbackAdcChannel);
            _analog[(int)AnalogChannel.LineNeutral] = _adc.OpenChannel(PinMap.LineNeutralAdcChannel);
            _analog[(int)AnalogChannel.LineTtRef] = _adc.OpenChannel(PinMap.LineTtRefAdcChannel);
            _analog[(int)AnalogChannel.CpcTtRef] = _adc.OpenChannel(PinMap.CpcTtRefAdcChannel);
            _analog[(int)AnalogChannel.CtClamp] = _adc.OpenChannel(PinMap.CtClampAdcChannel);
            _analog[(int)AnalogChannel.EvCurrent] = _adc.OpenChannel(PinMap.EvCurrentAdcChannel);
            _analog[(int)AnalogChannel.PilotFeedback] = pilotAndProximity;
            _analog[(int)AnalogChannel.ProximityPilot] = pilotAndProximity;

            Show(IndicatorState.Starting);
        }

        /// <inheritdoc />
        public long NowMicroseconds => (long)HighResTimer.GetCurrent();

        /// <summary>
        /// UTC from the system time, which SNTP sets once the network answers (Program starts
        /// nanoFramework.Networking.Sntp). Before that the RTC counts from an epoch long past;
        /// <see cref="Time.WallClock"/> rejects such readings as not synchronised.
        /// </summary>
        public bool TryReadUtcMilliseconds(out long utcMilliseconds)
        {
            utcMilliseconds = (DateTime.UtcNow - UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond;
            return true;
        }

        /// <summary>
        /// Random bits for the randomised delay. nanoFramework's <see cref="Random"/> on the ESP32 is
        /// meant to draw on the chip's generator (esp_random); two draws make 32 bits (Next gives 31).
        /// </summary>
        public uint NextRandom32()
        {
            return ((uint)_random.Next() << 16) ^ (uint)_random.Next();
        }

        /// <inheritdoc />
        public int ReadPinMillivolts(AnalogChannel channel)
        {
            int counts;
            if (channel == AnalogChannel.ProximityPilot)
            {
                // The analogue switch settles in nanoseconds; the managed call that follows the
                // select takes tens of microseconds, so no wait is needed before converting.
                Write(_muxSelect, PinMap.AnalogMuxSelectActiveHigh, PinMap.ProximityPilotMuxPosition == 1);
                counts = _analog[(int)channel].ReadValue();
                Write(_muxSelect, PinMap.AnalogMuxSelectActiveHigh, PinMap.ProximityPilotMuxPosition != 1);
            }
            else
            {
                counts = _analog[(int)channel].ReadValue();
            }

            // counts / maxCounts of the full scale; integer, rounded to the nearest millivolt.
            return (counts * AdcFullScaleMillivolts + _adcMaxCounts / 2) / _adcMaxCounts;
        }

        /// <inheritdoc />
        public void SetDutyPermille(int dutyPermille)
        {
            if (dutyPermille < 0)
            {
                dutyPermille = 0;
            }
            else if (dutyPermille > 1000)
            {
                dutyPermille = 1000;
            }

            // PwmChannel.DutyCycle is the high fraction of the period, 0..1.
            _pilot.DutyCycle = dutyPermille / 1000.0;
        }

        /// <inheritdoc />
        public void HoldPositive()
        {
            // Always high: the output stage sits at +12 V (the LEDC accepts a 100 % duty).
            _pilot.DutyCycle = 1.0;
        }

        /// <inheritdoc />
        public void HoldNegative()
        {
            // Always low: the output stage sits at −12 V.
            _pilot.DutyCycle = 0.0;
        }

        /// <inheritdoc />
        public void SetContactor(bool closed)
        {
            Write(_contactor, PinMap.ContactorActiveHigh, closed);
        }

        /// <inheritdoc />
        public void SetEarthRelay(bool closed)
        {
            Write(_earthRelay, PinMap.EarthRelayActiveHigh, closed);
        }

        /// <inheritdoc />
        public void OpenAll()
        {
            // Contactor first so the earth relay never breaks the protective earth under load.
            Write(_contactor, PinMap.ContactorActiveHigh, false);
            Write(_earthRelay, PinMap.EarthRelayActiveHigh, false);
        }

        /// <inheritdoc />
        public bool ReadLoadSideLive() => IsActive(_weldSense, PinMap.WeldSenseActiveHigh);

        /// <inheritdoc />
        public bool ReadFault() => IsActive(_rcdFault, PinMap.RcdFaultActiveHigh);

        /// <inheritdoc />
        public void SetTest(bool on)
        {
            Write(_rcdTest, PinMap.RcdTestActiveHigh, on);
        }

        /// <inheritdoc />
        public bool ReadPestToggleModeB() => IsActive(_pestToggle, PinMap.PestToggleActiveHigh);

        /// <inheritdoc />
        public bool ReadButtonPressed() => IsActive(_button, PinMap.ButtonActiveHigh);

        /// <inheritdoc />
        public void SetLockDrive(bool locked)
        {
            Write(_lockDrive, PinMap.LockDriveActiveHigh, locked);
        }

        /// <inheritdoc />
        public bool ReadLocked() => IsActive(_lockFeedback, PinMap.LockFeedbackActiveHigh);

        /// <inheritdoc />
        public void Show(IndicatorState state)
        {
            if (state == _shown)
            {
                return;
            }

            _shown = state;
            bool red = state == IndicatorState.Fault || state == IndicatorState.Paused || state == IndicatorState.Starting || state == IndicatorState.NotCommissioned;
            bool green = state == IndicatorState.Idle || state == IndicatorState.Connected || state == IndicatorState.Paused || state == IndicatorState.Starting;
            bool blue = state == IndicatorState.Connected || state == IndicatorState.Charging || state == IndicatorState.Starting || state == IndicatorState.NotCommissioned;
            Write(_ledRed, PinMap.LedRedActiveHigh, red);
            Write(_ledGreen, PinMap.LedGreenActiveHigh, green);
            Write(_ledBlue, PinMap.LedBlueActiveHigh, blue);
        }

        private GpioPin OpenOutput(int gpio, bool activeHigh)
        {
            GpioPin pin = _gpio.OpenPin(gpio, PinMode.Output);
            Write(pin, activeHigh, false);
            return pin;
        }

        private static void Write(GpioPin pin, bool activeHigh, bool active)
        {
            pin.Write(active == activeHigh ? PinValue.High : PinValue.Low);
        }

        private static bool IsActive(GpioPin pin, bool activeHigh)
        {
            return (pin.Read() == PinValue.High) == activeHigh;
        }
    }
}
