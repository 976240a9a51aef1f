// A setjmp-owning bridge to libjpeg-turbo. libjpeg reports fatal errors by
// calling error_exit, which must not return and must never longjmp across
// Swift frames; every entry point here catches them and returns a status.
#ifndef SCENEPAINT_JPEG_BRIDGE_H
#define SCENEPAINT_JPEG_BRIDGE_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint32_t width;
    uint32_t height;
    uint8_t *pixels; // width*height*3 bytes of 8-bit RGB, free with sp_jpeg_free
} sp_jpeg_image;

/// Decodes a JPEG held in memory to 8-bit RGB (greyscale and CMYK/YCCK are
/// converted). Returns 0 on success; otherwise writes a message into `err` and
/// returns 1 = corrupt or not a JPEG, 3 = larger than max_side, 4 = out of memory.
/// Truncated data (libjpeg's premature-end warning) counts as corrupt.
int sp_jpeg_decode(const uint8_t *data, size_t size, uint32_t max_side, sp_jpeg_image *out,
                   char *err, size_t err_len);

void sp_jpeg_free(sp_jpeg_image *image);

/// Encodes 8-bit RGB as a baseline JPEG of `quality` (1-100). On success
/// *out_data is malloc'd (free with sp_jpeg_free_buffer). For tests and exports.
int sp_jpeg_encode(const uint8_t *rgb, uint32_t width, uint32_t height, int quality,
                   uint8_t **out_data, size_t *out_size, char *err, size_t err_len);

void sp_jpeg_free_buffer(uint8_t *data);

#ifdef __cplusplus
}
#endif
#endif
