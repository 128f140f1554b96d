#!/usr/bin/env ruby
require 'json'
require 'net/http'

API = 'https://api.todoist.com/rest/v2'
TOKEN = ENV.fetch('TODOIST_TOKEN') { abort 'TODOIST_TOKEN not set' }

def call(method, path, body = nil)
  uri = URI("#{API}#{path}")
  req = Net::HTTP.const_get(method).new(uri)
  req['Authorization'] = "Bearer #{TOKEN}"
  if body
    req['Content-Type'] = 'application/json'
    req.body = body.to_json
  end
  res = Net::HTTP.start(uri.host, uri.port, use_ssl: true) { |h| h.request(req) }
  res.body.to_s.empty? ? nil : JSON.parse(res.body)
end

case ARGV[0]
when 'today'
  call(:Get, '/tasks?filter=today').each { |t| puts "#{t['id']}  #{t['content']}" }
when 'add'
  t = call(:Post, '/tasks', { content: ARGV[1], due_string: ARGV[1] })
  puts "added #{t['id']}"
when 'done'
  call(:Post, "/tasks/#{ARGV[1]}/close")
  puts 'completed'
else
  puts 'usage: todoist.rb today | add "text" | done ID'
end
