/** `brownout/react`: the React bindings and the UI kit's components. Styles: `brownout/styles.css`. */
export * from '../react/index.js';
export * from '../ui/index.js';
