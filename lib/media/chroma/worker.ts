import type { ChromaKeySettings } from './key';
import { runKeyer, type KeyerControl } from './keyer';
import type { KeyerReply, KeyerRequest } from './protocol';

/** The keying worker: a camera's frames in, keyed frames out (./keyer.ts), steered from the page. */
const control: KeyerControl = { key: null, background: [0, 0, 0], picture: null, findKey: true };
const reply = (message: KeyerReply) => (self as unknown as Worker).postMessage(message);

self.onmessage = (event: MessageEvent<KeyerRequest>) => {
  const request = event.data;
  if (request.type === 'start') {
    control.key = request.key;
    control.findKey = request.key === null;
    control.background = request.background;
    void runKeyer(request.frames, request.out, control, (key: ChromaKeySettings | null) => reply({ type: 'key', key }));
  } else if (request.type === 'update') {
    if (request.key) control.key = request.key;
    if (request.background) control.background = request.background;
    if (request.picture !== undefined) {
      control.picture?.close();
      control.picture = request.picture;
    }
  } else {
    control.findKey = true;
  }
};
