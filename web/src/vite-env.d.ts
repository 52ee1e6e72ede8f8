/// <reference types="vite/client" />

declare module 'virtual:kernel-recordings' {
  /** Recordings per kernel release (`uname -r` of the recording machine). */
  export const RELEASES: Record<string, number>;
}
