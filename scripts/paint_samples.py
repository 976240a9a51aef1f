#!/usr/bin/env python3
"""Paints the hand-painted-looking sample layouts in samples/painted/ the way a person
would in the editor: flat fills, boxes, blobs and brush strokes in the landscape
palette. Writes indexed PNGs (class id = pixel value, tEXt scenepaint.palette =
landscape), so `scenepaint edit samples/painted/NAME.png` opens them.

    python3 scripts/paint_samples.py samples/painted
"""
import math, os, random, struct, sys, zlib

SKY, CLOUD, MOUNTAIN, SNOW, ROCK, GRASS, TREE, BUSH, FLOWER, WATER, SAND, ROAD, HOUSE, FENCE, BOAT = range(15)
COLORS = [(110, 170, 235), (200, 210, 228), (125, 105, 150), (250, 250, 250), (135, 120, 105), (105, 190, 70),
          (30, 105, 45), (155, 170, 55), (240, 95, 180), (40, 90, 200), (232, 206, 140), (85, 85, 90),
          (205, 70, 50), (165, 115, 60), (250, 180, 30)]
W = H = 256


class Canvas:
    def __init__(self, fill=SKY):
        self.px = [[fill] * W for _ in range(H)]

    def set(self, x, y, c):
        if 0 <= x < W and 0 <= y < H:
            self.px[y][x] = c

    def below(self, c, y0, wobble=0.0, seed=0):
        rnd = random.Random(seed)
        phase = rnd.uniform(0, 6)
        for x in range(W):
            top = y0 + wobble * math.sin(x / 23.0 + phase) + wobble * 0.5 * math.sin(x / 9.0 + 2 * phase)
            for y in range(max(0, int(top)), H):
                self.px[y][x] = c

    def rect(self, c, x0, y0, x1, y1):
        for y in range(max(0, y0), min(H, y1)):
            for x in range(max(0, x0), min(W, x1)):
                self.px[y][x] = c

    def ellipse(self, c, cx, cy, rx, ry):
        for y in range(max(0, int(cy - ry)), min(H, int(cy + ry) + 1)):
            for x in range(max(0, int(cx - rx)), min(W, int(cx + rx) + 1)):
                if ((x + 0.5 - cx) / rx) ** 2 + ((y + 0.5 - cy) / ry) ** 2 <= 1:
                    self.px[y][x] = c

    def polygon(self, c, pts):
        ys = [p[1] for p in pts]
        for y in range(max(0, int(min(ys))), min(H, int(max(ys)) + 1)):
            v = y + 0.5
            xs = []
            for i in range(len(pts)):
                (ax, ay), (bx, by) = pts[i], pts[i - 1]
                if (ay > v) != (by > v):
                    xs.append(ax + (v - ay) * (bx - ax) / (by - ay))
            xs.sort()
            for a, b in zip(xs[0::2], xs[1::2]):
                for x in range(max(0, int(math.ceil(a - 0.5))), min(W, int(math.floor(b - 0.5)) + 1)):
                    self.px[y][x] = c

    def stroke(self, c, pts, radius):
        """A round brush dragged along a polyline."""
        for (ax, ay), (bx, by) in zip(pts, pts[1:]):
            n = int(max(abs(bx - ax), abs(by - ay))) + 1
            for i in range(n + 1):
                t = i / n
                self.ellipse(c, ax + (bx - ax) * t, ay + (by - ay) * t, radius, radius) if radius >= 1 else \
                    self.set(int(ax + (bx - ax) * t), int(ay + (by - ay) * t), c)

    def house(self, x, base, w, h, roof):
        self.rect(HOUSE, x, base - h, x + w, base)
        self.polygon(HOUSE, [(x - 2, base - h), (x + w + 2, base - h), (x + w / 2, base - h - roof)])

    def tree(self, x, base, h):
        self.rect(TREE, x - max(1, h // 14), base - h // 3, x + max(1, h // 14) + 1, base)
        self.ellipse(TREE, x, base - h * 0.62, h * 0.3, h * 0.38)

    def write(self, path):
        raw = b"".join(b"\x00" + bytes(row) for row in self.px)
        def chunk(kind, data):
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 3, 0, 0, 0))
        png += chunk(b"PLTE", b"".join(bytes(c) for c in COLORS))
        png += chunk(b"tEXt", b"scenepaint.palette\x00landscape")
        png += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
        with open(path, "wb") as f:
            f.write(png)


def flower_field():
    c = Canvas()
    c.ellipse(CLOUD, 60, 40, 34, 12); c.ellipse(CLOUD, 85, 34, 22, 12); c.ellipse(CLOUD, 200, 58, 28, 9)
    c.polygon(MOUNTAIN, [(0, 112), (55, 70), (110, 108), (170, 62), (256, 105), (256, 120), (0, 120)])
    c.below(TREE, 104, 3, seed=1)
    c.below(GRASS, 118, 2, seed=2)
    c.below(FLOWER, 150, 6, seed=3)
    c.tree(212, 150, 60)
    return c


def red_box_house():
    c = Canvas()
    c.ellipse(CLOUD, 50, 30, 30, 10)
    c.below(GRASS, 150, 0)
    c.rect(HOUSE, 40, 70, 216, 200)
    c.polygon(HOUSE, [(30, 72), (226, 72), (128, 20)])
    c.stroke(ROAD, [(128, 200), (118, 256)], 10)
    c.rect(FENCE, 0, 196, 34, 200); c.rect(FENCE, 222, 196, 256, 200)
    for x in range(2, 34, 8):
        c.rect(FENCE, x, 186, x + 2, 204)
    for x in range(224, 256, 8):
        c.rect(FENCE, x, 186, x + 2, 204)
    c.ellipse(BUSH, 20, 225, 18, 12); c.ellipse(FLOWER, 230, 228, 20, 10)
    return c


def rocky_desert():
    c = Canvas()
    c.polygon(MOUNTAIN, [(0, 120), (80, 80), (140, 115), (210, 70), (256, 100), (256, 125), (0, 125)])
    c.below(SAND, 118, 1, seed=4)
    rnd = random.Random(7)
    for _ in range(28):
        y = rnd.uniform(125, 250)
        s = 2 + (y - 118) / 12 * rnd.uniform(0.6, 1.4)
        c.ellipse(ROCK, rnd.uniform(0, 256), y, s * 1.4, s)
    c.ellipse(ROCK, 70, 215, 55, 38)
    c.ellipse(BUSH, 190, 170, 10, 6); c.ellipse(BUSH, 30, 150, 7, 4)
    return c


def island_boat():
    c = Canvas()
    c.ellipse(CLOUD, 180, 40, 40, 12); c.ellipse(CLOUD, 150, 48, 25, 9)
    c.below(WATER, 110, 0)
    c.ellipse(SAND, 150, 150, 60, 16)
    c.ellipse(GRASS, 150, 144, 45, 10)
    c.tree(135, 146, 50); c.tree(168, 144, 38)
    c.polygon(BOAT, [(40, 200), (110, 200), (100, 214), (50, 214)])
    c.polygon(BOAT, [(72, 198), (72, 150), (100, 198)])
    return c


def village_street():
    c = Canvas()
    c.ellipse(CLOUD, 200, 30, 30, 9)
    c.below(TREE, 92, 4, seed=5)
    c.below(GRASS, 110, 2, seed=6)
    c.polygon(ROAD, [(120, 110), (136, 110), (256, 220), (256, 256), (0, 256), (0, 230)])
    c.house(20, 150, 50, 36, 22); c.house(80, 128, 30, 20, 12); c.house(180, 140, 44, 30, 18); c.house(230, 118, 20, 14, 8)
    c.stroke(FENCE, [(160, 170), (256, 175)], 1)
    for x in range(160, 256, 10):
        c.rect(FENCE, x, 162, x + 2, 176)
    c.tree(75, 175, 50); c.ellipse(BUSH, 170, 200, 14, 8); c.ellipse(FLOWER, 30, 170, 18, 5)
    return c


def forest_pond():
    c = Canvas()
    c.below(TREE, 60, 10, seed=8)
    c.below(GRASS, 130, 3, seed=9)
    c.ellipse(WATER, 128, 180, 90, 34)
    c.ellipse(BUSH, 30, 150, 20, 12); c.ellipse(BUSH, 225, 160, 22, 14); c.ellipse(BUSH, 200, 225, 16, 10)
    c.ellipse(FLOWER, 50, 235, 30, 10)
    c.ellipse(ROCK, 185, 196, 10, 6)
    c.polygon(BOAT, [(100, 175), (130, 175), (126, 181), (104, 181)])
    return c


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "samples/painted"
    os.makedirs(out, exist_ok=True)
    for name, make in [("flower-field", flower_field), ("red-box-house", red_box_house), ("rocky-desert", rocky_desert),
                       ("island-boat", island_boat), ("village-street", village_street), ("forest-pond", forest_pond)]:
        make().write(os.path.join(out, name + ".png"))
        print(os.path.join(out, name + ".png"))
