import type { Behind, KeyEngine } from './engines';
import { HIGHLIGHT, keyTerms, SHADOW, type ChromaKeySettings } from './key';

/**
 * The key as WebGL2 shaders on an OffscreenCanvas: the same steps as ./key.ts (the reference),
 * one pass each, in float textures; each pass reads its neighbours with clamped texelFetch — the
 * reference's clamped indices. Fast on a real GPU; on a machine without one WebGL2 is a software
 * rasteriser and this is slower than ./key-simd.ts (./choose.ts measures which).
 *
 * Textures keep the frame's rows top first (texture row 0 = the frame's top row); only the last
 * pass, drawn to the canvas, whose row 0 is its bottom, turns them over.
 */

const VERTEX = `#version 300 es
in vec2 corner;
void main() { gl_Position = vec4(corner, 0.0, 1.0); }`;

const HEADER = `#version 300 es
precision highp float;
precision highp int;
precision highp sampler2D;
ivec2 at(sampler2D image, ivec2 p) { return clamp(p, ivec2(0), textureSize(image, 0) - 1); }
vec4 fetch(sampler2D image, ivec2 p) { return texelFetch(image, at(image, p), 0); }
float ramp(float base, float span) { float t = clamp(base / span, 0.0, 1.0); return t * sqrt(t); }
`;

/** Each pixel's CbCr difference from the key at its brightness (the reference's first loop). */
const DIFFERENCES = `${HEADER}
uniform sampler2D source;
uniform vec2 keyChroma;
uniform float keyLuma;
out vec4 difference;
void main() {
  vec3 c = texelFetch(source, ivec2(gl_FragCoord.xy), 0).rgb * 255.0;
  float scale = clamp(dot(c, vec3(0.2126, 0.7152, 0.0722)) / 255.0 / keyLuma, ${SHADOW.toFixed(4)}, ${HIGHLIGHT.toFixed(4)});
  vec2 pixel = vec2(dot(c, vec3(-0.100644, -0.338572, 0.439216)), dot(c, vec3(0.439216, -0.398942, -0.040274))) / 255.0;
  difference = vec4(pixel - scale * keyChroma, 0.0, 0.0);
}`;

/** The distance (3 × 3 box, or a 3-pixel run where that is longer) and its two ramps; b: on a line. */
const DISTANCES = `${HEADER}
uniform sampler2D differences;
uniform float similarity;
uniform float smoothness;
uniform float spill;
out vec4 ramps;
void main() {
  ivec2 p = ivec2(gl_FragCoord.xy);
  vec2 across[3];
  for (int dy = -1; dy <= 1; dy++) {
    across[dy + 1] = (fetch(differences, p + ivec2(-1, dy)).rg + fetch(differences, p + ivec2(0, dy)).rg + fetch(differences, p + ivec2(1, dy)).rg) / 3.0;
  }
  vec2 down = (fetch(differences, p + ivec2(0, -1)).rg + fetch(differences, p).rg + fetch(differences, p + ivec2(0, 1)).rg) / 3.0;
  vec2 box = (across[0] + across[1] + across[2]) / 3.0;
  float boxLength = dot(box, box);
  float run = max(dot(across[1], across[1]), dot(down, down)) / 3.0;
  bool line = run > boxLength;
  float base = sqrt(line ? run : boxLength) - similarity;
  ramps = vec4(ramp(base, smoothness), ramp(base, spill), line ? 1.0 : 0.0, 0.0);
}`;

/** The most or least of a pixel and its four neighbours (the reference's closing and choke). */
const cross = (pick: 'max' | 'min', last: boolean) => `${HEADER}
uniform sampler2D from;
uniform sampler2D ramps;
out vec4 result;
void main() {
  ivec2 p = ivec2(gl_FragCoord.xy);
  float v = fetch(from, p).r;
  v = ${pick}(v, fetch(from, p + ivec2(-1, 0)).r);
  v = ${pick}(v, fetch(from, p + ivec2(1, 0)).r);
  v = ${pick}(v, fetch(from, p + ivec2(0, -1)).r);
  v = ${pick}(v, fetch(from, p + ivec2(0, 1)).r);
  ${last ? 'vec4 own = texelFetch(ramps, p, 0); if (own.b > 0.5) v = own.r;' : ''}
  result = vec4(v, 0.0, 0.0, 0.0);
}`;

/** Desaturated near the key, its hue taken out along the edge, laid over what is behind. */
const COMPOSITE = `${HEADER}
uniform sampler2D source;
uniform sampler2D alphas;
uniform sampler2D ramps;
uniform sampler2D picture;
uniform int behind; // 0: the colour; 1: the picture; 2: transparent
uniform vec3 colour;
uniform vec3 hue;
uniform int rows;
out vec4 pixel;
void main() {
  ivec2 p = ivec2(int(gl_FragCoord.x), rows - 1 - int(gl_FragCoord.y));
  vec4 c = texelFetch(source, p, 0) * 255.0;
  float alpha = texelFetch(alphas, p, 0).r;
  float saturation = texelFetch(ramps, p, 0).g;
  bool nearKeyed = fetch(alphas, p + ivec2(-1, 0)).r < 0.5 || fetch(alphas, p + ivec2(1, 0)).r < 0.5 || fetch(alphas, p + ivec2(0, -1)).r < 0.5 || fetch(alphas, p + ivec2(0, 1)).r < 0.5;
  bool edge = alpha > 0.0 && (alpha < 1.0 || nearKeyed);
  float grey = dot(c.rgb, vec3(0.2126, 0.7152, 0.0722));
  vec3 k = grey + (c.rgb - grey) * saturation;
  float towardsKey = dot(k - grey, hue) / max(dot(hue, hue), 1e-9);
  if (edge && towardsKey > 0.0) k -= towardsKey * hue;
  if (behind == 2) {
    pixel = vec4(k / 255.0, c.a / 255.0 * alpha);
  } else {
    float a = alpha * c.a / 255.0;
    vec3 back = behind == 1 ? texelFetch(picture, p, 0).rgb * 255.0 : colour;
    pixel = vec4((k * a + back * (1.0 - a)) / 255.0, 1.0);
  }
}`;

/** What WebGL2 runs on here: none (no WebGL2 with float render targets), a GPU, or a rasteriser in software. Asked once (a context each time otherwise). */
export function webgl2Device(): 'none' | 'gpu' | 'software' {
  device ??= probeWebgl2();
  return device;
}
let device: 'none' | 'gpu' | 'software' | undefined;

function probeWebgl2(): 'none' | 'gpu' | 'software' {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl || !gl.getExtension('EXT_color_buffer_float')) return 'none';
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return SOFTWARE_RENDERERS.test(renderer) ? 'software' : 'gpu';
  } catch {
    return 'none';
  }
}

/** Rasterisers that run on the processor (Chromium's SwiftShader, Mesa's, Windows' fallback). */
const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software|basic render/i;

interface Pass {
  program: WebGLProgram;
  uniform(name: string): WebGLUniformLocation | null;
}

export function glKeyEngine(): KeyEngine {
  const canvas = new OffscreenCanvas(1, 1);
  const gl = canvas.getContext('webgl2', { premultipliedAlpha: false, antialias: false, depth: false, preserveDrawingBuffer: false });
  if (!gl || !gl.getExtension('EXT_color_buffer_float')) throw new Error('WebGL2 with float render targets is not available');

  const compile = (fragment: string): Pass => {
    const program = gl.createProgram()!;
    for (const [type, source] of [[gl.VERTEX_SHADER, VERTEX], [gl.FRAGMENT_SHADER, fragment]] as const) {
      const shader = gl.createShader(type)!;
      gl.shaderSource(shader, source);
      gl.compileShader(shader);
      if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) throw new Error(`A keying shader did not compile: ${gl.getShaderInfoLog(shader)}`);
      gl.attachShader(program, shader);
    }
    gl.bindAttribLocation(program, 0, 'corner');
    gl.linkProgram(program);
    if (!gl.getProgramParameter(program, gl.LINK_STATUS)) throw new Error(`A keying shader did not link: ${gl.getProgramInfoLog(program)}`);
    const locations = new Map<string, WebGLUniformLocation | null>();
    return {
      program,
      uniform: (name) => {
        if (!locations.has(name)) locations.set(name, gl.getUniformLocation(program, name));
        return locations.get(name)!;
      },
    };
  };
  const passes = {
    differences: compile(DIFFERENCES),
    distances: compile(DISTANCES),
    dilate: compile(cross('max', false)),
    erode: compile(cross('min', false)),
    choke: compile(cross('min', true)),
    composite: compile(COMPOSITE),
  };
  // One triangle pair over the whole target.
  gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer());
  gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), gl.STATIC_DRAW);
  gl.enableVertexAttribArray(0);
  gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 0, 0);

  const texture = (format: number, internal: number, type: number, width: number, height: number) => {
    const t = gl.createTexture()!;
    gl.bindTexture(gl.TEXTURE_2D, t);
    for (const parameter of [gl.TEXTURE_MIN_FILTER, gl.TEXTURE_MAG_FILTER]) gl.texParameteri(gl.TEXTURE_2D, parameter, gl.NEAREST);
    for (const parameter of [gl.TEXTURE_WRAP_S, gl.TEXTURE_WRAP_T]) gl.texParameteri(gl.TEXTURE_2D, parameter, gl.CLAMP_TO_EDGE);
    gl.texImage2D(gl.TEXTURE_2D, 0, internal, width, height, 0, format, type, null);
    return t;
  };
  const target = (t: WebGLTexture) => {
    const framebuffer = gl.createFramebuffer()!;
    gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, t, 0);
    return { texture: t, framebuffer };
  };
  type Targets = ReturnType<typeof makeTargets>;
  const makeTargets = (width: number, height: number) => ({
    width,
    height,
    source: texture(gl.RGBA, gl.RGBA8, gl.UNSIGNED_BYTE, width, height),
    picture: texture(gl.RGBA, gl.RGBA8, gl.UNSIGNED_BYTE, width, height),
    differences: target(texture(gl.RG, gl.RG32F, gl.FLOAT, width, height)),
    ramps: target(texture(gl.RGBA, gl.RGBA32F, gl.FLOAT, width, height)),
    dilated: target(texture(gl.RED, gl.R32F, gl.FLOAT, width, height)),
    eroded: target(texture(gl.RED, gl.R32F, gl.FLOAT, width, height)),
    alphas: target(texture(gl.RED, gl.R32F, gl.FLOAT, width, height)),
  });
  let targets: Targets | null = null;
  let readBack = new Uint8Array(0);
  let pictureShown: Uint8ClampedArray | null = null;

  const freeTargets = (t: Targets) => {
    for (const texture of [t.source, t.picture]) gl.deleteTexture(texture);
    for (const { texture, framebuffer } of [t.differences, t.ramps, t.dilated, t.eroded, t.alphas]) {
      gl.deleteTexture(texture);
      gl.deleteFramebuffer(framebuffer);
    }
  };
  /** Runs a pass into `into` (null: the canvas) with its inputs bound to texture units in order. */
  const run = (pass: Pass, into: { framebuffer: WebGLFramebuffer } | null, inputs: Record<string, WebGLTexture>, set?: (pass: Pass) => void) => {
    gl.useProgram(pass.program);
    gl.bindFramebuffer(gl.FRAMEBUFFER, into?.framebuffer ?? null);
    Object.entries(inputs).forEach(([name, t], unit) => {
      gl.activeTexture(gl.TEXTURE0 + unit);
      gl.bindTexture(gl.TEXTURE_2D, t);
      gl.uniform1i(pass.uniform(name), unit);
    });
    set?.(pass);
    gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
  };

  const key = (source: TexImageSource, width: number, height: number, settings: ChromaKeySettings, behind: Behind) => {
    if (!targets || targets.width !== width || targets.height !== height) {
      if (targets) freeTargets(targets);
      targets = makeTargets(width, height);
      pictureShown = null;
      canvas.width = width;
      canvas.height = height;
    }
    const t = targets;
    gl.viewport(0, 0, width, height);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, t.source);
    gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, gl.RGBA, gl.UNSIGNED_BYTE, source);
    if ('picture' in behind && behind.picture !== pictureShown) {
      gl.bindTexture(gl.TEXTURE_2D, t.picture);
      gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, behind.picture);
      pictureShown = behind.picture;
    }
    const terms = keyTerms(settings.keyColor);
    run(passes.differences, t.differences, { source: t.source }, (p) => {
      gl.uniform2f(p.uniform('keyChroma'), terms.cb, terms.cr);
      gl.uniform1f(p.uniform('keyLuma'), terms.luma);
    });
    run(passes.distances, t.ramps, { differences: t.differences.texture }, (p) => {
      gl.uniform1f(p.uniform('similarity'), settings.similarity);
      // A ramp of no width is a step, as in the reference.
      gl.uniform1f(p.uniform('smoothness'), Math.max(settings.smoothness, 1e-9));
      gl.uniform1f(p.uniform('spill'), Math.max(settings.spill, 1e-9));
    });
    run(passes.dilate, t.dilated, { from: t.ramps.texture });
    run(passes.erode, t.eroded, { from: t.dilated.texture });
    run(passes.choke, t.alphas, { from: t.eroded.texture, ramps: t.ramps.texture });
    run(passes.composite, null, { source: t.source, alphas: t.alphas.texture, ramps: t.ramps.texture, picture: t.picture }, (p) => {
      gl.uniform1i(p.uniform('behind'), 'colour' in behind ? 0 : 'picture' in behind ? 1 : 2);
      gl.uniform3f(p.uniform('colour'), ...('colour' in behind ? behind.colour : ([0, 0, 0] as const)));
      gl.uniform3f(p.uniform('hue'), ...terms.hue);
      gl.uniform1i(p.uniform('rows'), height);
    });
  };

  return {
    name: 'gpu',
    async key(frame, settings, behind) {
      const width = frame.displayWidth;
      const height = frame.displayHeight;
      key(frame, width, height, settings, behind);
      const timing = { timestamp: frame.timestamp, duration: frame.duration ?? undefined };
      if (!('transparent' in behind)) return new VideoFrame(canvas, timing);
      // A frame made of the canvas keeps its colour premultiplied, 8 bits: under a nearly
      // transparent pixel little of the colour is left. Read back as drawn instead (rows bottom
      // first: the last pass drew the frame's top row at the canvas's top).
      if (readBack.length !== width * height * 4) readBack = new Uint8Array(width * height * 4);
      gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, readBack);
      const rows = new Uint8Array(readBack.length);
      for (let y = 0; y < height; y++) rows.set(readBack.subarray((height - 1 - y) * width * 4, (height - y) * width * 4), y * width * 4);
      return new VideoFrame(rows, { ...timing, format: 'RGBA', codedWidth: width, codedHeight: height });
    },
    close() {
      if (targets) freeTargets(targets);
      gl.getExtension('WEBGL_lose_context')?.loseContext();
    },
  };
}
