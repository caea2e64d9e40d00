// New case (/Cases/New): Enter in the customer look-up field runs the look-up. Enter anywhere else in the form creates
// the case (the form's default button); without this script Enter in the look-up field does that too.
document.addEventListener('keydown', (event) => {
  const field = event.target instanceof Element ? event.target.closest('[data-enter-clicks]') : null;
  if (event.key !== 'Enter' || field === null || event.isComposing) {
    return; // isComposing: Enter that confirms an IME composition (pinyin → 许弘文) is not a submit
  }

  const button = document.getElementById(field.dataset.enterClicks);
  if (button !== null) {
    event.preventDefault();
    button.click();
  }
});
