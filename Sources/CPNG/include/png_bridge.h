// A setjmp-owning bridge to libpng. libpng reports fatal errors with longjmp,
// which must never cross Swift frames; every entry point here catches them and
// returns a non-zero status with a message instead.
#ifndef SCENEPAINT_PNG_BRIDGE_H
#define SCENEPAINT_PNG_BRIDGE_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// How pixels are delivered by sp_png_decode.
typedef enum {
    /// Sample values as stored: palette indices or grey levels (8 or 16 bit),
    /// one channel. Fails (status 2) for RGB/RGBA/grey+alpha files.
    SP_PNG_DECODE_VALUES = 0,
    /// Everything expanded/stripped to 8-bit RGB, three channels.
    SP_PNG_DECODE_RGB8 = 1,
} sp_png_decode_mode;

typedef struct {
    uint32_t width;
    uint32_t height;
    int color_type;      // PNG_COLOR_TYPE_* of the file
    int bit_depth;       // bit depth of the file
    int channels;        // channels in `pixels`
    int sample_bytes;    // 1 or 2 (host-endian uint16 when 2)
    uint8_t *pixels;     // width*height*channels*sample_bytes bytes, free with sp_png_free
    int palette_count;   // PLTE entries (0 when none)
    uint8_t palette[256 * 3];
    char palette_name[128]; // value of the tEXt chunk "scenepaint.palette", or ""
} sp_png_image;

/// Decodes a PNG held in memory. Returns 0 on success; otherwise writes a
/// message into `err` (NUL-terminated) and returns non-zero:
/// 1 = libpng or format error, 2 = unsupported for this mode, 3 = too large, 4 = out of memory.
int sp_png_decode(const uint8_t *data, size_t size, sp_png_decode_mode mode,
                  uint32_t max_side, sp_png_image *out, char *err, size_t err_len);

void sp_png_free(sp_png_image *image);

/// Encodes pixels into a PNG in memory.
/// color_type: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA (PNG_COLOR_TYPE_* values).
/// bit_depth: any the PNG spec allows for the type. Rows are packed as in the
/// file ((width*channels*bit_depth+7)/8 bytes); 16-bit samples are host-endian.
/// For palette images `palette` has `palette_count` RGB triples.
/// palette_name (may be NULL) is stored in a tEXt chunk "scenepaint.palette".
/// On success *out_data is malloc'd (free with sp_png_free_buffer).
int sp_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height,
                  int color_type, int bit_depth,
                  const uint8_t *palette, int palette_count,
                  int compression_level, const char *palette_name,
                  uint8_t **out_data, size_t *out_size, char *err, size_t err_len);

void sp_png_free_buffer(uint8_t *data);

#ifdef __cplusplus
}
#endif
#endif
