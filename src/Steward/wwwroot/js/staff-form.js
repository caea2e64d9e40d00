// The staff form offers only the home branch's teams: when the home branch changes, show that branch's teams and
// clear a team of another branch.
document.querySelectorAll('select[data-team-filter]').forEach(home => {
  const teams = document.getElementById(home.dataset.teamFilter);
  if (!teams) return;
  const follow = () => {
    for (const option of teams.options) {
      if (!option.dataset.branch) continue;
      option.hidden = option.dataset.branch !== home.value;
      if (option.hidden && option.selected) teams.value = '';
    }
  };
  home.addEventListener('change', follow);
  follow();
});
