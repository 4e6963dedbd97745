/**
 * The safety code: six digits both people see, made from the two DTLS certificate fingerprints
 * of the session their browsers actually negotiated. DTLS-SRTP already encrypts a peer-to-peer
 * call end to end; what it cannot stop is a hostile signaling server swapping the fingerprints
 * in the SDP to put itself in the middle. Then the two sides hash different fingerprints, and
 * the codes they read to each other differ.
 */

/** The first `a=fingerprint:` of an SDP (session level, or the first media section's), normalised. */
export function sdpFingerprint(sdp: string): string | null {
  const match = /^a=fingerprint:(\S+) ([0-9A-Fa-f:]+)\s*$/m.exec(sdp);
  return match ? `${match[1]!.toLowerCase()} ${match[2]!.toUpperCase()}` : null;
}

/**
 * Six digits from two fingerprints, the same whichever side computes it (the pair is sorted),
 * as "123 456". Null until both descriptions carry a fingerprint.
 */
export async function safetyCode(localSdp: string | undefined, remoteSdp: string | undefined): Promise<string | null> {
  const local = localSdp ? sdpFingerprint(localSdp) : null;
  const remote = remoteSdp ? sdpFingerprint(remoteSdp) : null;
  if (!local || !remote) return null;
  const pair = [local, remote].sort().join('\n');
  const digest = new DataView(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`webrtc-studio safety code v1\n${pair}`)));
  // 2^32 is ~4,295 times 10^6: the modulo bias is below 0.03 %.
  const digits = String(digest.getUint32(0) % 1_000_000).padStart(6, '0');
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}
