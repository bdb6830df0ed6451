/*
 * Host shell of the metering core: the shared library the simulator's virtual board loads by
 * P/Invoke (src/Firmware.Simulator/VirtualBoard/NativeMainsSampler.cs). It only allocates a core;
 * the arithmetic is core/mains_core.c, the same file the ESP32 build compiles.
 */
#include <stdlib.h>
#include "../core/mains_core.h"

#if defined(_WIN32)
#define MC_EXPORT __declspec(dllexport)
#else
#define MC_EXPORT __attribute__((visibility("default")))
#endif

MC_EXPORT mc_core *mc_host_create(void)
{
    mc_core *core = (mc_core *)malloc(sizeof(mc_core));
    if (core != NULL) {
        mc_init(core);
    }
    return core;
}

MC_EXPORT void mc_host_destroy(mc_core *core)
{
    free(core);
}

MC_EXPORT void mc_host_start(mc_core *core, int64_t first_frame_us)
{
    mc_start(core, first_frame_us);
}

MC_EXPORT void mc_host_push(mc_core *core, const int16_t *frames, int32_t frame_count)
{
    mc_push(core, frames, frame_count);
}

MC_EXPORT int32_t mc_host_pop_cycle(mc_core *core, mc_cycle *out)
{
    return mc_pop_cycle(core, out);
}

MC_EXPORT void mc_host_read_pilot(mc_core *core, mc_pilot *out)
{
    mc_read_pilot(core, out);
}

/* Layout check for the managed declaration: sizeof(mc_cycle). */
MC_EXPORT int32_t mc_host_cycle_size(void)
{
    return (int32_t)sizeof(mc_cycle);
}
