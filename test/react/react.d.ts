// The little of React's API this test uses (the project carries React, not its type package).
declare module 'react' {
  export interface RefObject<T> {
    current: T | null;
  }
  export function createElement(
    type: string,
    props?: Record<string, unknown> | null,
    ...children: unknown[]
  ): unknown;
  export function createRef<T>(): RefObject<T>;
}
declare module 'react-dom' {
  export function flushSync(fn: () => void): void;
}
declare module 'react-dom/client' {
  export function createRoot(container: Element): { render(node: unknown): void; unmount(): void };
}
