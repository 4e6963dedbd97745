import { runKeyer, type KeyerControl } from './keyer';
import type { KeyerReply, KeyerRequest } from './protocol';

/** The keying worker: a camera's frames in, keyed frames out (./keyer.ts), steered from the page. */
const control: KeyerControl = { key: null, background: [0, 0, 0], picture: null, transparent: false, blur: false, findKey: {}, engine: 'auto', pick: null };
const reply = (message: KeyerReply) => (self as unknown as Worker).postMessage(message);

self.onmessage = (event: MessageEvent<KeyerRequest>) => {
  const request = event.data;
  if (request.type === 'start') {
    control.key = request.key;
    control.findKey = request.key === null ? {} : null;
    control.background = request.background;
    control.engine = request.engine;
    control.blur = request.blur;
    void runKeyer(request.frames, request.out, control, {
      onKey: (key) => reply({ type: 'key', key }),
      onEngine: (choice) => reply({ type: 'engine', ...choice }),
      onPicked: (colour) => reply({ type: 'picked', colour }),
    });
  } else if (request.type === 'update') {
    if (request.key) control.key = request.key;
    if (request.background) control.background = request.background;
    if (request.engine) control.engine = request.engine;
    if (request.transparent !== undefined) control.transparent = request.transparent;
    if (request.blur !== undefined) control.blur = request.blur;
    if (request.picture !== undefined) {
      control.picture?.close();
      control.picture = request.picture;
    }
  } else if (request.type === 'pick') {
    control.pick = { x: request.x, y: request.y };
  } else {
    control.findKey = { near: request.near };
  }
};
