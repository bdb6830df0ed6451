//
// nanoFramework interop of the metering core: the native side of the managed declarations in
// managed/Esp32MainsSampler.cs (assembly Indra.Metering.Esp32). Written in the shape of the stubs
// nanoFramework's metadata processor generates for InternalCall methods (regenerate them from the
// managed project and keep these bodies; docs/device.md, "Custom nanoCLR image").
//
#include <nanoCLR_Interop.h>
#include <nanoCLR_Runtime.h>
#include <nanoCLR_Checks.h>
#include "metering_esp32.h"

// Record layout of NativeTryReadCycle's long[] (managed/Esp32MainsSampler.cs, RecordLength = 24).
enum
{
    R_END_US = 0,
    R_MEAN_SQUARE = 1,   // 5 entries
    R_EV_POWER = 6,
    R_HOUSE_POWER = 7,
    R_PERIOD_US = 8,
    R_FREQUENCY_MHZ = 9,
    R_LOCKED = 10,
    R_SAMPLE_COUNT = 11,
    R_FLAGS = 12,
    R_DROPPED = 13,
    R_MEAN_Q8 = 14,      // 5 entries
    R_BIAS_Q8 = 19,      // 5 entries
    R_LENGTH = 24
};

struct Library_Indra_Metering_Esp32_IndraSmartPro_Board_Esp32_Esp32MainsSampler
{
    // static extern int NativeStart(int[] adc1Channels)
    static HRESULT NativeStart___STATIC__I4__SZARRAY_I4(CLR_RT_StackFrame &stack)
    {
        NANOCLR_HEADER();
        CLR_RT_HeapBlock_Array *channels = stack.Arg0().DereferenceArray();
        FAULT_ON_NULL_ARG(channels);
        if (channels->m_numOfElements != MC_CHANNELS)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
        }
        stack.SetResult_I4(metering_esp32_start((const int *)channels->GetFirstElement()));
        NANOCLR_NOCLEANUP();
    }

    // static extern bool NativeTryReadCycle(long[] record)
    static HRESULT NativeTryReadCycle___STATIC__BOOLEAN__SZARRAY_I8(CLR_RT_StackFrame &stack)
    {
        NANOCLR_HEADER();
        CLR_RT_HeapBlock_Array *array = stack.Arg0().DereferenceArray();
        FAULT_ON_NULL_ARG(array);
        if (array->m_numOfElements < R_LENGTH)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
        }
        mc_cycle c;
        bool got = metering_esp32_pop_cycle(&c) != 0;
        if (got)
        {
            int64_t *r = (int64_t *)array->GetFirstElement();
            r[R_END_US] = c.end_us;
            for (int i = 0; i < MC_MAINS_CHANNELS; i++)
            {
                r[R_MEAN_SQUARE + i] = c.mean_square_q16[i];
                r[R_MEAN_Q8 + i] = c.mean_q8[i];
                r[R_BIAS_Q8 + i] = c.bias_q8[i];
            }
            r[R_EV_POWER] = c.ev_power_q16;
            r[R_HOUSE_POWER] = c.house_power_q16;
            r[R_PERIOD_US] = c.period_us;
            r[R_FREQUENCY_MHZ] = c.frequency_mhz;
            r[R_LOCKED] = c.locked;
            r[R_SAMPLE_COUNT] = c.sample_count;
            r[R_FLAGS] = c.flags;
            r[R_DROPPED] = c.dropped;
        }
        stack.SetResult_Boolean(got);
        NANOCLR_NOCLEANUP();
    }

    // static extern void NativeReadHealth(int[] health): frames, overflows, restarts, rate error ppm
    static HRESULT NativeReadHealth___STATIC__VOID__SZARRAY_I4(CLR_RT_StackFrame &stack)
    {
        NANOCLR_HEADER();
        CLR_RT_HeapBlock_Array *array = stack.Arg0().DereferenceArray();
        FAULT_ON_NULL_ARG(array);
        if (array->m_numOfElements < 4)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
        }
        metering_esp32_health h;
        metering_esp32_health_get(&h);
        int32_t *r = (int32_t *)array->GetFirstElement();
        r[0] = (int32_t)h.frames;
        r[1] = (int32_t)h.overflows;
        r[2] = (int32_t)h.restarts;
        r[3] = h.rate_error_ppm;
        NANOCLR_NOCLEANUP();
    }

    // static extern int NativeLatestPinMillivolts(int channel)
    static HRESULT NativeLatestPinMillivolts___STATIC__I4__I4(CLR_RT_StackFrame &stack)
    {
        NANOCLR_HEADER();
        stack.SetResult_I4(metering_esp32_latest_pin_mv(stack.Arg0().NumericByRef().s4));
        NANOCLR_NOCLEANUP();
    }
};

// Method table in the order the managed class declares its InternalCall methods (the metadata
// processor writes this table and the assembly's checksum; regenerate, then keep the bodies above).
static const CLR_RT_MethodHandler method_lookup[] = {
    Library_Indra_Metering_Esp32_IndraSmartPro_Board_Esp32_Esp32MainsSampler::NativeStart___STATIC__I4__SZARRAY_I4,
    Library_Indra_Metering_Esp32_IndraSmartPro_Board_Esp32_Esp32MainsSampler::NativeTryReadCycle___STATIC__BOOLEAN__SZARRAY_I8,
    Library_Indra_Metering_Esp32_IndraSmartPro_Board_Esp32_Esp32MainsSampler::NativeReadHealth___STATIC__VOID__SZARRAY_I4,
    Library_Indra_Metering_Esp32_IndraSmartPro_Board_Esp32_Esp32MainsSampler::NativeLatestPinMillivolts___STATIC__I4__I4,
};

extern const CLR_RT_NativeAssemblyData g_CLR_AssemblyNative_Indra_Metering_Esp32 = {
    "Indra.Metering.Esp32",
    0x00000000, // checksum: written by the metadata processor's stub generation
    method_lookup,
    {1, 0, 0, 0}};
