/*
 * Offline support for the static book's widget pages. Loaded before require.js and the widget
 * manager (see nb_ipywidgets_js in _config.yml).
 *
 * 1. RequireJS reads a global `require` object defined before it loads as its configuration.
 *    The widget manager's AMD bundle defines named modules (@jupyter-widgets/base, ...) whose
 *    webpack public path (where they fetch their fonts) is the directory of the module's URL,
 *    i.e. <baseUrl>/@jupyter-widgets/. Point baseUrl at _static/widgets/, where
 *    tools/stage_assets.py puts the fonts, whatever the depth of the page.
 * 2. ipywidgets 8 typesets math with MathJax 2's MathJax.Hub.Queue(["Typeset", Hub, el]);
 *    MathJax 3 has no Hub. Attach a small Hub to whatever object window.MathJax is (the config
 *    object Sphinx writes, then MathJax 3 itself) that forwards to MathJax.typesetPromise.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var src = (script && script.src) || "";
  var staticDir = src.slice(0, src.lastIndexOf("/") + 1);

  if (typeof window.require === "undefined" && typeof window.define === "undefined") {
    window.require = { baseUrl: staticDir + "widgets/" };
  }

  function typeset(el) {
    var mj = current;
    if (!mj || typeof mj.typesetPromise !== "function") {
      return; // MathJax 3 not loaded yet: its start-up typesets the whole page anyway.
    }
    var ready = (mj.startup && mj.startup.promise) || Promise.resolve();
    ready.then(function () {
      return mj.typesetPromise(el ? [el] : undefined);
    }).catch(function (err) {
      console.warn("MathJax typeset of a widget failed:", err);
    });
  }

  var hub = {
    Queue: function () {
      for (var i = 0; i < arguments.length; i++) {
        var job = arguments[i];
        if (Array.isArray(job) && job[0] === "Typeset") {
          typeset(job[2]);
        } else if (typeof job === "function") {
          job();
        }
      }
    },
  };

  function withHub(obj) {
    if (obj && typeof obj === "object" && !("Hub" in obj)) {
      try {
        Object.defineProperty(obj, "Hub", { value: hub, enumerable: false, configurable: true });
      } catch (e) {
        /* frozen object: nothing to do */
      }
    }
    return obj;
  }

  var current = withHub(window.MathJax);
  try {
    delete window.MathJax;
  } catch (e) {
    /* not configurable: keep the plain property */
  }
  try {
    Object.defineProperty(window, "MathJax", {
      configurable: true,
      enumerable: true,
      get: function () { return current; },
      set: function (value) { current = withHub(value); },
    });
  } catch (e) {
    /* MathJax was defined non-configurable: the Hub added above is all we can do */
  }
})();
