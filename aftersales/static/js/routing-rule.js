// Routing rule editor: a rule can be saved only as it was tested. When a rule field changes
// after a test, the Save button and the test's token are removed, so the rule is tested again.
(function () {
  "use strict";
  var form = document.getElementById("rule-form");
  if (!form) {
    return;
  }
  function forgetTest(event) {
    var target = event.target;
    if (!target || !target.name || target.name.indexOf("sample-") === 0) {
      return; // changing the sample does not change the rule
    }
    var result = document.getElementById("rule-test-result");
    if (!result) {
      return;
    }
    var save = result.querySelector("[data-testid='rule-save']");
    var token = result.querySelector("input[name='tested']");
    if (save) {
      save.remove();
    }
    if (token) {
      token.remove();
    }
  }
  form.addEventListener("input", forgetTest);
  form.addEventListener("change", forgetTest);
})();
