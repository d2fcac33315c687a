// JSX types for htmx 4's <hx-partial>, which @kitajs/html does not know yet.
declare namespace JSX {
  interface IntrinsicElements {
    'hx-partial': HtmlTag & { 'hx-target': string; 'hx-swap'?: string }
  }
}
