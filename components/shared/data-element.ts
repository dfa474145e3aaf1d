import type { PropertyDeclarations } from 'lit';
import { ApiController } from './api.ts';
import { FolioElement } from './folio-element.ts';

/**
 * A component that shows one answer of the API: the `data` property when it is set (it always
 * wins), otherwise fetched from `{api-base}{path()}` with the key.
 */
export abstract class FolioDataElement<T> extends FolioElement {
  static override properties: PropertyDeclarations = {
    data: { attribute: false },
    apiBase: { attribute: 'api-base' },
    key: {},
  };

  /** Exactly the JSON of the endpoint the component reads. When set, nothing is fetched. */
  declare data: T | null;
  /** Base URL of the Clientfolio API, e.g. `https://api.example.com`. */
  declare apiBase?: string;
  /** A publishable key (`pk_…`) or a widget session token. */
  declare key?: string;

  protected api = new ApiController<T>(this, () => {
    const path = this.data == null && this.apiBase ? this.path() : null;
    return path === null ? null : { base: this.apiBase!, path, key: this.key };
  });

  constructor() {
    super();
    this.data = null;
  }

  /** The endpoint with its query, or null while there is nothing to ask for (no client id yet). */
  protected abstract path(): string | null;

  /** Resolves once the data being fetched (if any) has arrived and been rendered. */
  get dataComplete(): Promise<boolean> {
    return this.api.settled.then(() => this.updateComplete);
  }
}
