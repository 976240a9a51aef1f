#include "png_bridge.h"
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *err;
    size_t err_len;
} sp_error_sink;

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
} sp_reader;

typedef struct {
    uint8_t *data;
    size_t size;
    size_t capacity;
    int failed;
} sp_writer;

static void sp_set_error(char *err, size_t err_len, const char *msg) {
    if (err && err_len > 0) {
        snprintf(err, err_len, "%s", msg);
    }
}

static void sp_error_fn(png_structp png, png_const_charp msg) {
    sp_error_sink *sink = (sp_error_sink *)png_get_error_ptr(png);
    if (sink) sp_set_error(sink->err, sink->err_len, msg);
    png_longjmp(png, 1);
}

static void sp_warning_fn(png_structp png, png_const_charp msg) {
    (void)png; (void)msg; /* warnings (e.g. ancillary CRC) are not fatal */
}

static void sp_read_fn(png_structp png, png_bytep out, png_size_t length) {
    sp_reader *r = (sp_reader *)png_get_io_ptr(png);
    if (r->offset + length > r->size || r->offset + length < r->offset) {
        png_error(png, "file is truncated");
    }
    memcpy(out, r->data + r->offset, length);
    r->offset += length;
}

/* Every chunk's declared length must fit in the bytes that follow it. libpng
 * allocates (and zeroes) a chunk's declared length before reading it, so a
 * 180-byte file declaring a 1.5 GB tEXt chunk cost 1.5 GB and seconds (found by
 * Fuzz/fuzz-layout). Returns 0, or 1 with a message naming the chunk. */
static int sp_check_chunk_lengths(const uint8_t *data, size_t size, char *err, size_t err_len) {
    size_t offset = 8;
    while (offset + 12 <= size) {
        uint32_t length = (uint32_t)data[offset] << 24 | (uint32_t)data[offset + 1] << 16
                        | (uint32_t)data[offset + 2] << 8 | data[offset + 3];
        const uint8_t *type = data + offset + 4;
        if ((uint64_t)length > (uint64_t)(size - offset - 12)) {
            char name[5];
            for (int i = 0; i < 4; i++) name[i] = (type[i] >= 32 && type[i] < 127) ? (char)type[i] : '?';
            name[4] = 0;
            char message[160];
            snprintf(message, sizeof(message), "chunk %s at byte %zu declares %u bytes, past the end of the file",
                     name, offset, length);
            sp_set_error(err, err_len, message);
            return 1;
        }
        if (memcmp(type, "IEND", 4) == 0) return 0;
        offset += 12 + (size_t)length;
    }
    return 0;  /* a missing IEND is libpng's to report */
}

int sp_png_decode(const uint8_t *data, size_t size, sp_png_decode_mode mode,
                  uint32_t max_side, sp_png_image *out, char *err, size_t err_len) {
    memset(out, 0, sizeof(*out));
    if (size < 8 || png_sig_cmp((png_const_bytep)data, 0, 8) != 0) {
        sp_set_error(err, err_len, "not a PNG file (bad signature)");
        return 1;
    }
    /* Check the declared size before libpng allocates anything for it. */
    if (size >= 33 && memcmp(data + 12, "IHDR", 4) == 0) {
        uint32_t w = (uint32_t)data[16] << 24 | (uint32_t)data[17] << 16 | (uint32_t)data[18] << 8 | data[19];
        uint32_t h = (uint32_t)data[20] << 24 | (uint32_t)data[21] << 16 | (uint32_t)data[22] << 8 | data[23];
        out->width = w;
        out->height = h;
        if (w > max_side || h > max_side) {
            sp_set_error(err, err_len, "image dimensions exceed the limit");
            return 3;
        }
    }
    if (sp_check_chunk_lengths(data, size, err, err_len) != 0) return 1;
    sp_error_sink sink = {err, err_len};
    sp_reader reader = {data, size, 0};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &sink, sp_error_fn, sp_warning_fn);
    if (!png) { sp_set_error(err, err_len, "out of memory"); return 4; }
    png_infop info = png_create_info_struct(png);
    if (!info) { png_destroy_read_struct(&png, NULL, NULL); sp_set_error(err, err_len, "out of memory"); return 4; }

    /* volatile: modified between setjmp and a possible longjmp */
    uint8_t *volatile pixels = NULL;
    png_bytep *volatile rows = NULL;
    volatile int status = 1;

    if (setjmp(png_jmpbuf(png))) {
        free(pixels);
        free(rows);
        png_destroy_read_struct(&png, &info, NULL);
        return status;
    }
    png_set_read_fn(png, &reader, sp_read_fn);
    png_set_user_limits(png, max_side, max_side);
    png_set_chunk_malloc_max(png, 64u * 1024u * 1024u);
    png_read_info(png, info);

    png_uint_32 width = 0, height = 0;
    int bit_depth = 0, color_type = 0, interlace = 0;
    png_get_IHDR(png, info, &width, &height, &bit_depth, &color_type, &interlace, NULL, NULL);
    out->width = width;
    out->height = height;
    out->color_type = color_type;
    out->bit_depth = bit_depth;
    if (width == 0 || height == 0) {
        status = 1;
        png_error(png, "image has zero width or height");
    }
    if (width > max_side || height > max_side) {
        status = 3;
        png_error(png, "image dimensions exceed the limit");
    }

    png_colorp plte = NULL;
    int num_plte = 0;
    if (png_get_valid(png, info, PNG_INFO_PLTE) && png_get_PLTE(png, info, &plte, &num_plte)) {
        if (num_plte > 256) num_plte = 256;
        out->palette_count = num_plte;
        for (int i = 0; i < num_plte; i++) {
            out->palette[3 * i + 0] = plte[i].red;
            out->palette[3 * i + 1] = plte[i].green;
            out->palette[3 * i + 2] = plte[i].blue;
        }
    }

    png_textp texts = NULL;
    int num_texts = 0;
    if (png_get_text(png, info, &texts, &num_texts) > 0) {
        for (int i = 0; i < num_texts; i++) {
            if (texts[i].key && strcmp(texts[i].key, "scenepaint.palette") == 0 && texts[i].text) {
                snprintf(out->palette_name, sizeof(out->palette_name), "%s", texts[i].text);
            }
        }
    }

    if (mode == SP_PNG_DECODE_VALUES) {
        if (color_type != PNG_COLOR_TYPE_PALETTE && color_type != PNG_COLOR_TYPE_GRAY) {
            status = 2;
            png_error(png, "not a single-channel (palette or greyscale) PNG");
        }
        if (bit_depth < 8) png_set_packing(png); /* one value per byte, not rescaled */
        if (bit_depth == 16) png_set_swap(png);  /* host (little) endian uint16 */
        out->channels = 1;
        out->sample_bytes = bit_depth == 16 ? 2 : 1;
    } else {
        if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
        if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
        if (bit_depth == 16) png_set_strip_16(png);
        if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
        if (color_type == PNG_COLOR_TYPE_GRAY || color_type == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
        png_set_strip_alpha(png);
        out->channels = 3;
        out->sample_bytes = 1;
    }
    if (interlace != PNG_INTERLACE_NONE) png_set_interlace_handling(png);
    png_read_update_info(png, info);

    size_t rowbytes = png_get_rowbytes(png, info);
    size_t expected = (size_t)width * (size_t)out->channels * (size_t)out->sample_bytes;
    if (rowbytes != expected) {
        status = 1;
        png_error(png, "unexpected row size after transforms");
    }
    pixels = (uint8_t *)malloc(rowbytes * height);
    rows = (png_bytep *)malloc(sizeof(png_bytep) * height);
    if (!pixels || !rows) {
        status = 4;
        png_error(png, "out of memory");
    }
    for (png_uint_32 y = 0; y < height; y++) rows[y] = pixels + (size_t)y * rowbytes;
    png_read_image(png, rows);
    png_read_end(png, NULL);

    free(rows);
    out->pixels = pixels;
    png_destroy_read_struct(&png, &info, NULL);
    return 0;
}

void sp_png_free(sp_png_image *image) {
    if (image && image->pixels) {
        free(image->pixels);
        image->pixels = NULL;
    }
}

static void sp_write_fn(png_structp png, png_bytep data, png_size_t length) {
    sp_writer *w = (sp_writer *)png_get_io_ptr(png);
    if (w->size + length > w->capacity) {
        size_t cap = w->capacity ? w->capacity : 4096;
        while (cap < w->size + length) cap *= 2;
        uint8_t *grown = (uint8_t *)realloc(w->data, cap);
        if (!grown) { w->failed = 1; png_error(png, "out of memory"); }
        w->data = grown;
        w->capacity = cap;
    }
    memcpy(w->data + w->size, data, length);
    w->size += length;
}

static void sp_flush_fn(png_structp png) { (void)png; }

int sp_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height,
                  int color_type, int bit_depth,
                  const uint8_t *palette, int palette_count,
                  int compression_level, const char *palette_name,
                  uint8_t **out_data, size_t *out_size, char *err, size_t err_len) {
    *out_data = NULL;
    *out_size = 0;
    int channels;
    switch (color_type) {
    case PNG_COLOR_TYPE_GRAY: channels = 1; break;
    case PNG_COLOR_TYPE_RGB: channels = 3; break;
    case PNG_COLOR_TYPE_PALETTE: channels = 1; break;
    case PNG_COLOR_TYPE_GRAY_ALPHA: channels = 2; break;
    case PNG_COLOR_TYPE_RGB_ALPHA: channels = 4; break;
    default: sp_set_error(err, err_len, "unsupported colour type for writing"); return 2;
    }
    /* The bit depths the PNG specification allows for each colour type. */
    int depth_ok = 0;
    switch (color_type) {
    case PNG_COLOR_TYPE_GRAY: depth_ok = bit_depth == 1 || bit_depth == 2 || bit_depth == 4 || bit_depth == 8 || bit_depth == 16; break;
    case PNG_COLOR_TYPE_PALETTE: depth_ok = bit_depth == 1 || bit_depth == 2 || bit_depth == 4 || bit_depth == 8; break;
    default: depth_ok = bit_depth == 8 || bit_depth == 16; break;
    }
    if (!depth_ok) { sp_set_error(err, err_len, "unsupported bit depth for this colour type"); return 2; }
    if (width == 0 || height == 0) { sp_set_error(err, err_len, "image has zero width or height"); return 1; }
    if (color_type == PNG_COLOR_TYPE_PALETTE && (palette_count < 1 || palette_count > 256)) {
        sp_set_error(err, err_len, "palette must have 1 to 256 entries");
        return 1;
    }

    sp_error_sink sink = {err, err_len};
    sp_writer writer = {NULL, 0, 0, 0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &sink, sp_error_fn, sp_warning_fn);
    if (!png) { sp_set_error(err, err_len, "out of memory"); return 4; }
    png_infop info = png_create_info_struct(png);
    if (!info) { png_destroy_write_struct(&png, NULL); sp_set_error(err, err_len, "out of memory"); return 4; }
    png_bytep *volatile rows = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        free(writer.data);
        png_destroy_write_struct(&png, &info);
        return 1;
    }
    png_set_write_fn(png, &writer, sp_write_fn, sp_flush_fn);
    if (compression_level >= 0 && compression_level <= 9) png_set_compression_level(png, compression_level);
    png_set_IHDR(png, info, width, height, bit_depth, color_type, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (color_type == PNG_COLOR_TYPE_PALETTE) {
        png_color plte[256];
        for (int i = 0; i < palette_count; i++) {
            plte[i].red = palette[3 * i];
            plte[i].green = palette[3 * i + 1];
            plte[i].blue = palette[3 * i + 2];
        }
        png_set_PLTE(png, info, plte, palette_count);
    }
    if (palette_name && palette_name[0]) {
        png_text text;
        memset(&text, 0, sizeof(text));
        text.compression = PNG_TEXT_COMPRESSION_NONE;
        text.key = (png_charp) "scenepaint.palette";
        text.text = (png_charp)palette_name;
        png_set_text(png, info, &text, 1);
    }
    png_write_info(png, info);
    if (bit_depth == 16) png_set_swap(png);
    /* Rows are packed as in the file (sub-byte depths MSB first); 16-bit samples host-endian. */
    size_t rowbytes = ((size_t)width * channels * bit_depth + 7) / 8;
    rows = (png_bytep *)malloc(sizeof(png_bytep) * height);
    if (!rows) png_error(png, "out of memory");
    for (uint32_t y = 0; y < height; y++) rows[y] = (png_bytep)(pixels + (size_t)y * rowbytes);
    png_write_image(png, rows);
    png_write_end(png, NULL);
    free(rows);
    png_destroy_write_struct(&png, &info);
    *out_data = writer.data;
    *out_size = writer.size;
    return 0;
}

void sp_png_free_buffer(uint8_t *data) { free(data); }
